/* stream.c: a source as a stream of UTF-8 bytes. Opens a path or standard input (or takes the
 * descriptor of a remote transfer from remote.c), hashes every raw byte (SHA-256), inflates gzip
 * through gunzip.c (detected by its magic bytes, every member of a multi-member file, a
 * truncated or corrupt stream reported), strips a byte-order mark and decodes through decode.c.
 * Until the first read the decompressed bytes are kept so a peek can look ahead and the
 * encoding can still change. Knows nothing of records: parsing is the readers'. */
#include <errno.h>
#include <fcntl.h>
/* SHA-256 through OpenSSL's low-level functions, deprecated in favour of EVP: EVP's first use
 * loads OpenSSL's configuration and providers, about 2 ms of CPU before the first record of
 * every run (validate reads 100,000 rows in about 70 ms); these hash the same way, with the
 * same assembly. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "input/gunzip.h"
#include "input_internal.h"

#define RAW_CHUNK (256 * 1024)   /* read() size */
#define BIN_CHUNK (256 * 1024)   /* decompressed bytes per fill */
#define FIFO_WRITER_WAIT_MS 2000  /* how long a named pipe may go without a writer */
#define PIPEFS_MAGIC_NUMBER 0x50495045   /* an anonymous pipe (/dev/fd/N, <(...)) lives there */

struct sl_stream {
    char *name;
    int fd;
    int close_fd;
    stream_origin origin;   /* a remote transfer behind fd: checked at the end, released */
    SHA256_CTX sha;
    unsigned long long raw_bytes;

    /* raw bytes from the source (gzip only; plain sources are read straight into bin) */
    unsigned char *raw;
    size_t raw_pos, raw_len;
    int raw_eof;

    int kind_known;       /* the magic bytes were looked at */
    int gzip;
    sl_gunzip *gunzip;    /* set when gzip */
    int member_open;      /* inside a gzip member */
    unsigned long long members;

    /* decompressed bytes not yet decoded; before the first read, bytes from 0 are kept */
    unsigned char *bin;
    size_t bin_pos, bin_len, bin_cap;
    int bin_eof;

    sl_encoding requested, active;
    int bom_done;

    /* decoded bytes not yet consumed (peeked data, or non-UTF-8 sources) */
    char *out;
    size_t out_pos, out_len, out_cap;

    int reading;          /* the first read happened: no more peeks or encoding changes */
    int failed;
    char failure[400];
};

static int stream_fail(sl_stream *s, sl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int stream_fail(sl_stream *s, sl_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->failure, sizeof(s->failure), fmt, ap);
    va_end(ap);
    s->failed = 1;
    return sl_error_set(err, "%s", s->failure);
}

/* ---- open and close ---- */

static const char *file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return NULL;
}

static int open_source(const char *source, int *close_fd, sl_error *err)
{
    if (strcmp(source, "-") == 0) {
        *close_fd = 0;
        return STDIN_FILENO;
    }
    /* O_NONBLOCK: open() of a named pipe without a writer would wait for one forever */
    int fd = open(source, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return sl_error_set(err, "%s: %s", source, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        sl_error_set(err, "%s: %s", source, strerror(errno));
        close(fd);
        return -1;
    }
    const char *kind = file_kind(st.st_mode);
    if (kind) {
        sl_error_set(err, "%s: not a file (%s)", source, kind);
        close(fd);
        return -1;
    }
    if (!S_ISFIFO(st.st_mode))   /* regular files never block: clear it anyway */
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    *close_fd = 1;
    return fd;
}

static void sleep_ms(long ms)
{
    struct timespec pause = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&pause, NULL);
}

/* A FIFO in a file system (mkfifo), not an anonymous pipe reached through /dev/fd: only the
 * former can be opened before anything writes to it. An anonymous pipe that is empty and
 * closed is an empty source. */
static int is_named_pipe(int fd)
{
    struct stat st;
    struct statfs fs;
    return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && fstatfs(fd, &fs) == 0 &&
           (unsigned long)fs.f_type != PIPEFS_MAGIC_NUMBER;
}

/* A named pipe opened without blocking: waits (a little) for a writer, then reads blocking.
 * read() says which: -1/EAGAIN a writer is there, 0 none (or one that left without a byte), a
 * byte: kept as the first raw byte. Fails when no writer comes within FIFO_WRITER_WAIT_MS. */
static int settle_fifo(sl_stream *s, sl_error *err)
{
    for (long waited = 0;; waited += 50) {
        ssize_t n = read(s->fd, s->raw, 1);
        if (n == 1) {
            SHA256_Update(&s->sha, s->raw, 1);
            s->raw_bytes = 1;
            s->raw_len = 1;
            break;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return sl_error_set(err, "%s: %s", s->name, strerror(errno));
        if (n < 0 && errno == EAGAIN)
            break;
        if (waited >= FIFO_WRITER_WAIT_MS)
            return sl_error_set(err, "%s: a named pipe that nothing writes to (no writer "
                                "within %d seconds)", s->name, FIFO_WRITER_WAIT_MS / 1000);
        sleep_ms(50);
    }
    fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) & ~O_NONBLOCK);
    return 0;
}

/* The stream around an open descriptor (closed by sl_stream_close when close_fd). */
static sl_stream *stream_new(const char *source, int fd, int close_fd, sl_encoding encoding,
                             sl_error *err)
{
    sl_stream *s = calloc(1, sizeof(*s));
    if (s) {
        s->name = strdup(source);
        s->raw = malloc(RAW_CHUNK);
        s->bin = malloc(BIN_CHUNK);
        s->bin_cap = BIN_CHUNK;
    }
    if (!s || !s->name || !s->raw || !s->bin || SHA256_Init(&s->sha) != 1) {
        sl_error_set(err, "%s: out of memory", source);
        if (close_fd)
            close(fd);
        if (s)
            s->close_fd = 0;
        sl_stream_close(s);
        return NULL;
    }
    s->fd = fd;
    s->close_fd = close_fd;
    s->requested = encoding;
    if (close_fd && is_named_pipe(fd) && settle_fifo(s, err) != 0) {
        sl_stream_close(s);
        return NULL;
    }
    if (close_fd)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return s;
}

sl_stream *sl_stream_open(const char *source, sl_encoding encoding, sl_error *err)
{
    if (!source)
        source = "-";
    int close_fd = 0;
    int fd = open_source(source, &close_fd, err);
    if (fd < 0)
        return NULL;
    return stream_new(source, fd, close_fd, encoding, err);
}

sl_stream *sl_stream_open_origin(const char *name, int fd, const stream_origin *origin,
                              sl_encoding encoding, sl_error *err)
{
    sl_stream *s = stream_new(name, fd, 1, encoding, err);
    if (!s) {
        origin->release(origin->ctx);
        return NULL;
    }
    s->origin = *origin;
    return s;
}

void sl_stream_close(sl_stream *s)
{
    if (!s)
        return;
    if (s->close_fd)
        close(s->fd);
    if (s->origin.release)   /* after the close: a transfer still running sees it and stops */
        s->origin.release(s->origin.ctx);
    sl_gunzip_free(s->gunzip);
    free(s->name);
    free(s->raw);
    free(s->bin);
    free(s->out);
    free(s);
}

/* ---- raw bytes ---- */

/* read() into dst, hashing what came. Returns the count, 0 at the end, -1 on an error. */
static ssize_t read_source(sl_stream *s, unsigned char *dst, size_t cap, sl_error *err)
{
    ssize_t n;
    do
        n = read(s->fd, dst, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return stream_fail(s, err, "read error: %s", strerror(errno));
    if (n == 0 && s->origin.finish) {   /* the end of a transfer: did it end well? */
        sl_error why = { "" };
        int rc = s->origin.finish(s->origin.ctx, &why);
        s->origin.finish = NULL;
        if (rc != 0)
            return stream_fail(s, err, "read error: %s", why.message);
    }
    if (n > 0) {
        SHA256_Update(&s->sha, dst, (size_t)n);
        s->raw_bytes += (unsigned long long)n;
    }
    return n;
}

/* Appends raw bytes after the unread ones (moved to the front). 0 at the end, -1 on error. */
static ssize_t fill_raw(sl_stream *s, sl_error *err)
{
    if (s->raw_eof)
        return 0;
    if (s->raw_pos > 0) {
        memmove(s->raw, s->raw + s->raw_pos, s->raw_len - s->raw_pos);
        s->raw_len -= s->raw_pos;
        s->raw_pos = 0;
    }
    ssize_t n = read_source(s, s->raw + s->raw_len, RAW_CHUNK - s->raw_len, err);
    if (n == 0)
        s->raw_eof = 1;
    if (n > 0)
        s->raw_len += (size_t)n;
    return n;
}

/* Reads the first bytes and decides between gzip and plain. */
static int detect_kind(sl_stream *s, sl_error *err)
{
    while (s->raw_len < 2 && !s->raw_eof)
        if (fill_raw(s, err) < 0)
            return -1;
    s->kind_known = 1;
    s->gzip = s->raw_len >= 2 && s->raw[0] == 0x1F && s->raw[1] == 0x8B;
    if (s->gzip) {
        if (!(s->gunzip = sl_gunzip_new()))
            return stream_fail(s, err, "cannot start gzip decompression (out of memory)");
        return 0;
    }
    memcpy(s->bin + s->bin_len, s->raw, s->raw_len);   /* plain: raw bytes are the data */
    s->bin_len += s->raw_len;
    s->raw_pos = s->raw_len = 0;
    return 0;
}

/* ---- decompressed bytes ---- */

/* Makes room at the end of bin: drops decoded bytes once reading, else grows. */
static int make_bin_room(sl_stream *s, sl_error *err)
{
    if (s->reading && s->bin_pos > 0) {
        memmove(s->bin, s->bin + s->bin_pos, s->bin_len - s->bin_pos);
        s->bin_len -= s->bin_pos;
        s->bin_pos = 0;
    }
    if (s->bin_cap - s->bin_len >= BIN_CHUNK / 2)
        return 0;
    size_t cap = s->bin_cap * 2;
    unsigned char *grown = realloc(s->bin, cap);
    if (!grown)
        return stream_fail(s, err, "out of memory");
    s->bin = grown;
    s->bin_cap = cap;
    return 0;
}

/* At the start of a gzip member, or after the last one: 1 a member starts, 0 the end. */
static int next_member(sl_stream *s, sl_error *err)
{
    for (;;) {
        size_t left = s->raw_len - s->raw_pos;
        if (left < 2 && !s->raw_eof) {
            if (fill_raw(s, err) < 0)
                return -1;
            continue;
        }
        if (left == 0)
            return 0;
        const unsigned char *p = s->raw + s->raw_pos;
        if (left >= 2 && p[0] == 0x1F && p[1] == 0x8B) {
            sl_gunzip_start_member(s->gunzip);
            s->member_open = 1;
            return 1;
        }
        size_t zeros = 0;   /* zero padding after the last member is ignored, like gzip does */
        while (zeros < left && p[zeros] == 0)
            zeros++;
        if (zeros < left)
            return stream_fail(s, err,
                               "gzip stream is corrupt: unexpected bytes after member %llu",
                               s->members);
        s->raw_pos = s->raw_len;
    }
}

static ssize_t inflate_some(sl_stream *s, sl_error *err)
{
    size_t before = s->bin_len;
    while (s->bin_len == before) {
        if (!s->member_open) {
            int rc = next_member(s, err);
            if (rc <= 0)
                return rc;
        }
        if (s->raw_pos == s->raw_len && fill_raw(s, err) < 0)
            return -1;
        size_t used, made;
        const char *why = NULL;
        sl_gunzip_status status =
            sl_gunzip_run(s->gunzip, s->raw + s->raw_pos, s->raw_len - s->raw_pos, &used,
                          s->bin + s->bin_len, s->bin_cap - s->bin_len, &made, &why);
        s->raw_pos += used;
        s->bin_len += made;
        if (status == SL_GUNZIP_MORE && used == 0 && made == 0) {
            if (!s->raw_eof)   /* input and room both there: never seen, but no endless loop */
                return stream_fail(s, err, "gzip stream is corrupt: decompression is stuck");
            /* the input is over and the engine, given the chance to empty what it held,
             * had nothing more: the member was cut short */
            if (s->members == 0)
                return stream_fail(s, err, "gzip stream is truncated");
            return stream_fail(s, err, "gzip stream is truncated (in member %llu)",
                               s->members + 1);
        }
        if (status == SL_GUNZIP_MEMBER_END) {
            s->member_open = 0;
            s->members++;
        } else if (status == SL_GUNZIP_CORRUPT) {
            return stream_fail(s, err, "gzip stream is corrupt: %s", why);
        } else if (status == SL_GUNZIP_NO_MEMORY) {
            return stream_fail(s, err, "out of memory while decompressing");
        }
    }
    return (ssize_t)(s->bin_len - before);
}

/* Appends decompressed bytes to bin. Returns how many, 0 at the end, -1 on an error. */
static ssize_t fill_bin(sl_stream *s, sl_error *err)
{
    if (s->failed)
        return sl_error_set(err, "%s", s->failure);
    if (!s->kind_known) {
        if (detect_kind(s, err) != 0)
            return -1;
        if (s->bin_len > 0)
            return (ssize_t)s->bin_len;
    }
    if (s->bin_eof)
        return 0;
    if (make_bin_room(s, err) != 0)
        return -1;
    ssize_t n;
    if (s->gzip) {
        n = inflate_some(s, err);
    } else {
        n = read_source(s, s->bin + s->bin_len, s->bin_cap - s->bin_len, err);
        if (n > 0)
            s->bin_len += (size_t)n;
    }
    if (n == 0)
        s->bin_eof = 1;
    return n;
}

/* ---- decoding ---- */

static int settle_bom(sl_stream *s, sl_error *err)
{
    while (s->bin_len - s->bin_pos < 3 && !s->bin_eof) {
        if (fill_bin(s, err) < 0) {
            if (s->bin_len == s->bin_pos)
                return -1;
            break;   /* decide on what came; the failure is reported when it is reached */
        }
    }
    s->bin_pos += sl_decode_bom(s->requested, s->bin + s->bin_pos, s->bin_len - s->bin_pos,
                             &s->active);
    s->bom_done = 1;
    return 0;
}

static int passthrough(const sl_stream *s)
{
    return s->active == SL_ENCODING_UTF8 || s->active == SL_ENCODING_AUTO;
}

/* Decodes what bin holds onto the end of out (grown as needed). Returns bytes added. */
static ssize_t decode_into_out(sl_stream *s, sl_error *err)
{
    size_t in_len = s->bin_len - s->bin_pos;
    if (s->out_pos > 0 && s->out_pos == s->out_len)
        s->out_pos = s->out_len = 0;
    size_t need = s->out_len + in_len * DECODE_EXPANSION + 8;
    if (need > s->out_cap) {
        char *grown = realloc(s->out, need);
        if (!grown)
            return stream_fail(s, err, "out of memory");
        s->out = grown;
        s->out_cap = need;
    }
    size_t consumed = 0;
    size_t made = sl_decode_chunk(s->active, s->bin + s->bin_pos, in_len, s->bin_eof,
                               s->out + s->out_len, s->out_cap - s->out_len, &consumed);
    s->bin_pos += consumed;
    s->out_len += made;
    return (ssize_t)made;
}

/* Makes sure out holds at least want bytes, or everything up to the end. */
static int decode_ahead(sl_stream *s, size_t want, sl_error *err)
{
    if (!s->bom_done && settle_bom(s, err) != 0)
        return -1;
    while (s->out_len - s->out_pos < want) {
        if (s->bin_pos < s->bin_len && decode_into_out(s, err) < 0)
            return -1;
        if (s->out_len - s->out_pos >= want)
            break;
        ssize_t n = fill_bin(s, err);
        if (n < 0)   /* what came before a failure can still be looked at; reads report it */
            return s->out_len > s->out_pos ? 0 : -1;
        if (n == 0) {   /* the end: flush what an incomplete unit left */
            if (s->bin_pos < s->bin_len && decode_into_out(s, err) < 0)
                return -1;
            break;
        }
    }
    return 0;
}

int sl_stream_peek(sl_stream *s, size_t want, const char **data, size_t *len, sl_error *err)
{
    if (s->reading)
        return sl_error_set(err, "cannot look ahead: reading has started");
    if (decode_ahead(s, want ? want : 1, err) != 0)
        return -1;
    size_t have = s->out_len - s->out_pos;
    *data = s->out ? s->out + s->out_pos : "";
    *len = have < want ? have : want;
    return 0;
}

int sl_stream_set_encoding(sl_stream *s, sl_encoding encoding, sl_error *err)
{
    if (s->reading)
        return sl_error_set(err, "cannot change the encoding: reading has started");
    s->requested = encoding;
    s->bin_pos = 0;     /* decode the kept bytes again, from the start */
    s->out_pos = s->out_len = 0;
    s->bom_done = 0;
    return 0;
}

/* Bytes already decoded are served even after a failure; the failure comes once they are. */
ssize_t sl_stream_view(sl_stream *s, const char **data, sl_error *err)
{
    s->reading = 1;
    if (!s->bom_done && settle_bom(s, err) != 0)
        return -1;
    for (;;) {
        if (s->out_pos < s->out_len) {
            *data = s->out + s->out_pos;
            return (ssize_t)(s->out_len - s->out_pos);
        }
        if (s->bin_pos < s->bin_len) {
            if (passthrough(s)) {
                *data = (const char *)s->bin + s->bin_pos;
                return (ssize_t)(s->bin_len - s->bin_pos);
            }
            s->out_pos = s->out_len = 0;
            if (decode_into_out(s, err) < 0)
                return -1;
            if (s->out_len > 0)
                continue;
        }
        ssize_t n = fill_bin(s, err);
        if (n < 0)
            return -1;
        if (n == 0) {
            if (s->bin_pos < s->bin_len) {   /* an incomplete unit at the very end */
                s->out_pos = s->out_len = 0;
                if (decode_into_out(s, err) < 0)
                    return -1;
                if (s->out_len > 0)
                    continue;
            }
            return 0;
        }
    }
}

void sl_stream_consume(sl_stream *s, size_t n)
{
    if (s->out_pos < s->out_len) {
        s->out_pos += n;
        return;
    }
    s->bin_pos += n;
}

ssize_t sl_stream_read(sl_stream *s, char *buf, size_t cap, sl_error *err)
{
    const char *data;
    ssize_t n = sl_stream_view(s, &data, err);
    if (n <= 0)
        return n;
    size_t take = (size_t)n < cap ? (size_t)n : cap;
    memcpy(buf, data, take);
    sl_stream_consume(s, take);
    return (ssize_t)take;
}

int sl_stream_hash_all(sl_stream *s, sl_error *err)
{
    if (s->kind_known || s->reading)
        return sl_error_set(err, "cannot hash a stream that is being read");
    ssize_t n;
    while ((n = read_source(s, s->raw, RAW_CHUNK, err)) > 0)
        ;
    return n < 0 ? -1 : 0;
}

/* ---- facts ---- */

sl_encoding sl_stream_requested_encoding(const sl_stream *s)
{
    return s->requested;
}

const char *sl_stream_name(const sl_stream *s)
{
    return s->name;
}

int sl_stream_is_gzip(const sl_stream *s)
{
    return s->gzip;
}

unsigned long long sl_stream_raw_bytes(const sl_stream *s)
{
    return s->raw_bytes;
}

void sl_stream_sha256_hex(sl_stream *s, char out[65])
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256_CTX copy = s->sha;   /* the stream may still be read: finish a copy */
    out[0] = '\0';
    if (SHA256_Final(digest, &copy) == 1) {
        static const char hex[] = "0123456789abcdef";
        for (size_t i = 0; i < sizeof(digest); i++) {
            out[2 * i] = hex[digest[i] >> 4];
            out[2 * i + 1] = hex[digest[i] & 15];
        }
        out[2 * sizeof(digest)] = '\0';
    }
}
