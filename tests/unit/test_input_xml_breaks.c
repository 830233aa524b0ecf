/* test_input_xml_breaks.c: conservation of the XML reader under broken documents, a
 * differential test. A manifest of generic-xml shape is broken at many positions in several
 * ways (cut short, followed by garbage or by a fragment of another document, a mistyped end
 * tag) and read as a plain file, gzipped, and through a pipe written with random short
 * writes; every record whose end tag lies wholly before the break must come out, in order,
 * whatever libxml2 buffers. Also: multi-byte characters cut by pipe and inflate boundaries
 * read the same as in one buffer, a legitimate U+FDD0 is not taken for an invalid byte, and a
 * DOCTYPE declaring entities is refused with the entities named. */
#include <signal.h>
#include <sys/wait.h>
#include "test_input_util.h"

static const sl_xml_column break_columns[] = {
    { "order_number", "@order", 0 },
    { "tracking_number", "tracking", 0 },
    { "sku", "@sku", 1 },
};

static sl_xml_options break_options(void)
{
    sl_xml_options options = { "shipment", NULL, "item", NULL, 0, break_columns, 3, NULL };
    return options;
}

typedef enum transport { PLAIN, GZIPPED, PIPED } transport;

static size_t last_rows;   /* rows (one per item) the last read_orders gave */

/* The order numbers (first field, one per record) the reader gives for path; *rc the last
 * call's result. */
static size_t read_orders(const char *path, char ***orders, int *rc, sl_error *err)
{
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, err);
    ck_assert_msg(stream != NULL, "%s", err->message);
    sl_xml_options options = break_options();
    sl_reader *reader = sl_xml_reader_new(stream, &options, err);
    ck_assert_msg(reader != NULL, "%s", err->message);
    ck_assert_int_eq(sl_reader_start(reader, err), 0);
    size_t count = 0, cap = 64;
    *orders = malloc(cap * sizeof(char *));
    const sl_record *record;
    last_rows = 0;
    while ((*rc = sl_reader_next(reader, &record, err)) == 1) {
        last_rows++;
        if (count > 0 && strcmp((*orders)[count - 1], record->fields[0]) == 0)
            continue;   /* another item row of the same shipment */
        if (count == cap)
            *orders = realloc(*orders, (cap *= 2) * sizeof(char *));
        (*orders)[count++] = strdup(record->fields[0]);
    }
    sl_reader_free(reader);
    sl_stream_close(stream);
    return count;
}

static void free_orders(char **orders, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(orders[i]);
    free(orders);
}

/* A writer process feeding data to a pipe in random short writes; the read end's path. */
static pid_t pipe_writer(const char *data, size_t len, unsigned seed, char *path, size_t cap)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        srand(seed);
        for (size_t at = 0; at < len;) {
            size_t n = 1 + (size_t)rand() % 97;
            if (n > len - at)
                n = len - at;
            ssize_t w = write(fds[1], data + at, n);
            if (w <= 0)
                _exit(1);
            at += (size_t)w;
            if (rand() % 4 == 0)
                usleep(50);   /* let the reader drain the pipe: its reads come short */
        }
        _exit(0);
    }
    close(fds[1]);
    snprintf(path, cap, "/dev/fd/%d", fds[0]);
    return pid;
}

/* Reads data through the transport; returns the orders. */
static size_t read_through(transport how, const char *data, size_t len, unsigned seed,
                           char ***orders, int *rc, sl_error *err)
{
    if (how == PLAIN)
        return read_orders(write_bytes("broken.xml", data, len), orders, rc, err);
    if (how == GZIPPED) {
        size_t gz_len;
        unsigned char *gz = gzip_bytes(data, len, &gz_len);
        const char *path = write_bytes("broken.xml.gz", gz, gz_len);
        free(gz);
        return read_orders(path, orders, rc, err);
    }
    char path[64];
    pid_t pid = pipe_writer(data, len, seed, path, sizeof(path));
    size_t count = read_orders(path, orders, rc, err);
    int fd = atoi(path + strlen("/dev/fd/"));
    close(fd);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return count;
}

/* A manifest of n shipments, some with items and multi-byte text; ends[i] is the offset just
 * after the i-th </shipment>. */
static char *make_manifest(size_t n, size_t *len, size_t *ends)
{
    size_t cap = 256 + n * 400, at = 0;
    char *doc = malloc(cap);
    at += (size_t)sprintf(doc + at, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<shipments>\n");
    for (size_t i = 0; i < n; i++) {
        at += (size_t)sprintf(doc + at, "  <shipment order=\"#%zu\">\n    <tracking>1Z%06zu</tracking>"
                              "\n    <note>caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA6 %zu</note>\n",
                              7000 + i, i, i);
        for (size_t k = 0; k < i % 3; k++)
            at += (size_t)sprintf(doc + at, "    <item sku=\"SKU-%zu-%zu\" quantity=\"1\"/>\n", i, k);
        at += (size_t)sprintf(doc + at, "  </shipment>\n");
        ends[i] = at - 1;
    }
    at += (size_t)sprintf(doc + at, "</shipments>\n");
    *len = at;
    return doc;
}

static size_t complete_before(const size_t *ends, size_t n, size_t offset)
{
    size_t complete = 0;
    while (complete < n && ends[complete] <= offset)
        complete++;
    return complete;
}

static void check_prefix(char **orders, size_t count, size_t want, const char *what)
{
    ck_assert_msg(count >= want, "%s: %zu records out, %zu were complete before the break",
                  what, count, want);
    for (size_t i = 0; i < count && i < want; i++) {
        char expected[32];
        snprintf(expected, sizeof(expected), "#%zu", 7000 + i);
        ck_assert_msg(strcmp(orders[i], expected) == 0, "%s: record %zu is %s, not %s", what,
                      i + 1, orders[i], expected);
    }
}

static const char *const garbage[] = {
    "<?xml version=\"1.0\"?>\n<other><a>1</a>",      /* a fragment of another document */
    "\nthis is not XML < at all >\n",
    "</shipments></shipments>",
    "<shipment order=\"#x\"><</shipment>",
};

/* Breaks the manifest at many offsets, in every way and transport. */
static void break_everywhere(size_t records, size_t step, transport how)
{
    size_t *ends = calloc(records, sizeof(size_t));
    size_t len;
    char *doc = make_manifest(records, &len, ends);
    char *broken = malloc(len + 256);
    unsigned seed = 1;
    for (size_t at = 0; at < len; at += step, seed++) {
        size_t want = complete_before(ends, records, at);
        for (size_t g = 0; g <= sizeof(garbage) / sizeof(*garbage); g++) {
            memcpy(broken, doc, at);
            size_t broken_len = at;
            if (g < sizeof(garbage) / sizeof(*garbage)) {
                size_t glen = strlen(garbage[g]);
                memcpy(broken + at, garbage[g], glen);
                broken_len += glen;
            }   /* else: cut short */
            char **orders;
            int rc;
            sl_error err = { "" };
            size_t count = read_through(how, broken, broken_len, seed, &orders, &rc, &err);
            char what[128];
            snprintf(what, sizeof(what), "transport %d, break at %zu, way %zu", (int)how, at, g);
            if (at < len - 1)
                ck_assert_msg(rc == -1, "%s: no error", what);
            check_prefix(orders, count, want, what);
            if (rc == -1) {   /* the count in the message is the count that came out */
                char after[64];
                snprintf(after, sizeof(after), "(after %zu record", last_rows);
                ck_assert_msg(strstr(err.message, after) != NULL, "%s: %s", what, err.message);
            }
            free_orders(orders, count);
        }
    }
    /* a mistyped end tag at record k: the records before it come out */
    for (size_t k = 0; k < records; k += step / 50 + 1, seed++) {
        memcpy(broken, doc, len);
        memcpy(broken + ends[k] - 4, "mant", 4);   /* </shipment> -> </shipmant> */
        char **orders;
        int rc;
        sl_error err = { "" };
        size_t count = read_through(how, broken, len, seed, &orders, &rc, &err);
        ck_assert_int_eq(rc, -1);
        check_prefix(orders, count, k, "mistyped end tag");
        ck_assert_uint_eq(count, k);
        free_orders(orders, count);
    }
    free(broken);
    free(doc);
    free(ends);
}

START_TEST(broken_plain)
{
    break_everywhere(60, 37, PLAIN);
}
END_TEST

START_TEST(broken_gzipped)
{
    break_everywhere(60, 53, GZIPPED);
}
END_TEST

START_TEST(broken_piped)
{
    break_everywhere(60, 131, PIPED);
}
END_TEST

/* The finding as reported: <shipment order="#7006"> closes on line 44, garbage follows. */
START_TEST(record_before_garbage_is_kept)
{
    size_t ends[8], len;
    char *doc = make_manifest(7, &len, ends);
    char *broken = malloc(len + 200);
    memcpy(broken, doc, ends[6] + 1);
    strcpy(broken + ends[6] + 1, "\n<?xml version=\"1.0\"?>\n<cXML><Header>\n");
    char **orders;
    int rc;
    sl_error err = { "" };
    size_t count = read_orders(write_text("garbage.xml", broken), &orders, &rc, &err);
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_eq(count, 7);
    ck_assert_str_eq(orders[6], "#7006");
    ck_assert_msg(strstr(err.message, "(after 9 records)") != NULL, "%s", err.message);
    free_orders(orders, count);
    free(broken);
    free(doc);
}
END_TEST

/* Multi-byte characters through a pipe written 1 to 97 bytes at a time, and gzipped: the same
 * records as from the plain file, none refused. */
START_TEST(characters_split_by_reads)
{
    size_t ends[400], len;
    char *doc = make_manifest(400, &len, ends);
    for (transport how = PLAIN; how <= PIPED; how++) {
        for (unsigned seed = 1; seed <= (how == PIPED ? 6u : 1u); seed++) {
            char **orders;
            int rc;
            sl_error err = { "" };
            size_t count = read_through(how, doc, len, seed, &orders, &rc, &err);
            ck_assert_msg(rc == 0, "transport %d: %s", (int)how, err.message);
            ck_assert_uint_eq(count, 400);
            free_orders(orders, count);
        }
    }
    free(doc);
}
END_TEST

/* U+FDD0 is a valid XML character: a value holding it is not bad_encoding; an invalid byte
 * next to it still is. */
START_TEST(legitimate_fdd0_is_not_flagged)
{
    const char *doc = "<shipments><shipment order=\"#1\"><tracking>A\xEF\xB7\x90Z</tracking>"
                      "</shipment><shipment order=\"#2\"><tracking>\xEF\xB7\x90\xFF</tracking>"
                      "</shipment></shipments>";
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(write_text("fdd0.xml", doc), SL_ENCODING_AUTO, &err);
    sl_xml_options options = break_options();
    sl_reader *reader = sl_xml_reader_new(stream, &options, &err);
    ck_assert_ptr_nonnull(reader);
    const sl_record *record;
    ck_assert_int_eq(sl_reader_next(reader, &record, &err), 1);
    ck_assert_str_eq(record->fields[1], "A\xEF\xB7\x90Z");
    ck_assert_int_eq(record->bad_encoding, 0);
    ck_assert_int_eq(sl_reader_next(reader, &record, &err), 1);
    ck_assert_str_eq(record->fields[1], "\xEF\xB7\x90\xFF");
    ck_assert_int_eq(record->bad_encoding, 1);
    ck_assert_int_eq(sl_reader_next(reader, &record, &err), 0);
    sl_reader_free(reader);
    sl_stream_close(stream);
}
END_TEST

START_TEST(declared_entities_are_named)
{
    const char *doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE s [\n <!ENTITY lol \"lol\">\n"
                      " <!ENTITY lol1 \"&lol;&lol;&lol;\">\n]>\n<shipments><shipment order=\"&lol1;\"/>"
                      "</shipments>\n";
    char **orders;
    int rc;
    sl_error err = { "" };
    size_t count = read_orders(write_text("bomb.xml", doc), &orders, &rc, &err);
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_eq(count, 0);
    ck_assert_msg(strstr(err.message, "lol, lol1") != NULL, "%s", err.message);
    free_orders(orders, count);
}
END_TEST

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    Suite *suite = suite_create("input_xml_breaks");
    TCase *breaks = tcase_create("breaks");
    tcase_set_timeout(breaks, 600);
    tcase_add_checked_fixture(breaks, scratch_setup, scratch_teardown);
    tcase_add_test(breaks, record_before_garbage_is_kept);
    tcase_add_test(breaks, broken_plain);
    tcase_add_test(breaks, broken_gzipped);
    tcase_add_test(breaks, broken_piped);
    suite_add_tcase(suite, breaks);
    TCase *chars = tcase_create("characters");
    tcase_set_timeout(chars, 120);
    tcase_add_checked_fixture(chars, scratch_setup, scratch_teardown);
    tcase_add_test(chars, characters_split_by_reads);
    tcase_add_test(chars, legitimate_fdd0_is_not_flagged);
    tcase_add_test(chars, declared_entities_are_named);
    suite_add_tcase(suite, chars);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
