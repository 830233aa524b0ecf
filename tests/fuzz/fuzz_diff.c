/* fuzz_diff.c: differential: the same bytes read as one file and through a pipe written in
 * random short pieces (a thread; the piece sizes come from the input's first bytes) must give
 * the same records, for the CSV reader and for the generic-xml template alike. Aborts on a
 * difference. */
#include <pthread.h>
#include <signal.h>
#include "fuzz_util.h"
#include "shipload/template.h"

typedef struct writer {
    int fd;
    const uint8_t *data;
    size_t size;
    uint32_t seed;
} writer;

static void *write_pieces(void *arg)
{
    writer *w = arg;
    uint32_t x = w->seed | 1;
    for (size_t at = 0; at < w->size;) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        size_t n = 1 + x % 61;
        if (n > w->size - at)
            n = w->size - at;
        ssize_t done = write(w->fd, w->data + at, n);
        if (done <= 0)
            break;
        at += (size_t)done;
    }
    close(w->fd);
    return NULL;
}

static sl_template *xml_template;

/* Records and digest of the bytes at path, as CSV (xml = 0) or generic-xml. */
static size_t read_path(const char *path, int xml, uint64_t *digest, int *failed)
{
    sl_error err;
    *digest = 0;
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    if (!stream) {
        *failed = 1;
        return 0;
    }
    sl_csv_options options = { 0, 1, 0 };
    sl_reader *reader = xml ? sl_template_reader_new(xml_template, stream, &err)
                            : sl_csv_reader_new(stream, &options, &err);
    size_t count = 0;
    if (reader) {
        count = fuzz_drain(reader, digest);
        sl_reader_free(reader);
    }
    sl_stream_close(stream);
    return count;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    signal(SIGPIPE, SIG_IGN);   /* a reader that stops early closes the pipe on the writer */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 6)   /* an empty pipe waits for a writer that never writes */
        return 0;
    if (!xml_template) {
        sl_error err;
        if (!(xml_template = sl_template_load("generic-xml", &err)))
            abort();
    }
    int xml = data[0] & 1;
    uint32_t seed;
    memcpy(&seed, data + 1, 4);
    data += 5;
    size -= 5;
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof(path));
    if (fd < 0)
        return 0;
    int failed = 0;
    uint64_t whole_digest, piped_digest;
    size_t whole = read_path(path, xml, &whole_digest, &failed);
    close(fd);
    int fds[2];
    if (pipe(fds) != 0)
        return 0;
    writer w = { fds[1], data, size, seed };
    pthread_t thread;
    pthread_create(&thread, NULL, write_pieces, &w);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
    size_t piped = read_path(path, xml, &piped_digest, &failed);
    close(fds[0]);   /* a reader that stopped early: the writer gets EPIPE and ends */
    pthread_join(thread, NULL);
    if (!failed && (whole != piped || whole_digest != piped_digest)) {
        fprintf(stderr, "fuzz_diff: %s: %zu records from the file, %zu through the pipe\n",
                xml ? "xml" : "csv", whole, piped);
        abort();
    }
    return 0;
}
