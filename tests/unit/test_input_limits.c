/* test_input_limits.c: the reading stage at its edges (issue 19): a named pipe that nothing
 * writes to is refused instead of hanging in open(), one whose writer comes a little later is
 * read; a CSV record of exactly 1,000,000 fields (the limit) is read, one more is refused with
 * the limit in the message. */
#include <sys/wait.h>
#include "test_input_util.h"

START_TEST(fifo_without_writer_is_refused)
{
    const char *path = scratch_path("pipe");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_ptr_null(stream);
    ck_assert_msg(strstr(err.message, "a named pipe that nothing writes to") != NULL, "%s",
                  err.message);
}
END_TEST

START_TEST(fifo_with_a_late_writer_is_read)
{
    char path[512];
    snprintf(path, sizeof(path), "%s", scratch_path("pipe"));
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(300 * 1000);
        FILE *fp = fopen(path, "w");
        fputs("a,b\n1,2\n", fp);
        fclose(fp);
        _exit(0);
    }
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_msg(stream != NULL, "%s", err.message);
    size_t len;
    int rc;
    char *all = read_all(stream, &len, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(all, "a,b\n1,2\n");
    free(all);
    sl_stream_close(stream);
    waitpid(pid, NULL, 0);
}
END_TEST

/* A headerless line of n one-letter fields; the reader's first next() result. */
static int read_wide_line(size_t n, sl_error *err)
{
    char *line = malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        line[2 * i] = 'x';
        line[2 * i + 1] = i + 1 < n ? ',' : '\n';
    }
    line[2 * n] = '\0';
    const char *path = write_bytes("wide.csv", line, 2 * n);
    free(line);
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, err);
    ck_assert_ptr_nonnull(stream);
    sl_csv_options options = { ',', 0, '"' };
    sl_reader *reader = sl_csv_reader_new(stream, &options, err);
    ck_assert_ptr_nonnull(reader);
    const sl_record *record = NULL;
    int rc = sl_reader_start(reader, err);
    if (rc == 0)
        rc = sl_reader_next(reader, &record, err);
    if (rc == 1)
        ck_assert_uint_eq(record->field_count, n);
    sl_reader_free(reader);
    sl_stream_close(stream);
    return rc;
}

START_TEST(exactly_a_million_fields)
{
    sl_error err = { "" };
    ck_assert_msg(read_wide_line(1000000, &err) == 1, "%s", err.message);
    ck_assert_int_eq(read_wide_line(1000001, &err), -1);
    ck_assert_msg(strstr(err.message, "more than 1000000 fields") != NULL, "%s", err.message);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("input_limits");
    TCase *tc = tcase_create("limits");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_add_test(tc, fifo_without_writer_is_refused);
    tcase_add_test(tc, fifo_with_a_late_writer_is_read);
    tcase_add_test(tc, exactly_a_million_fields);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
