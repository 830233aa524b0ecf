/* test_report_journal.c: the journal of writes (include/shipload/journal.h) written and read
 * back: the header names the run; a write sent and the outcomes of rows come back per record
 * (the last outcome wins, a row sent later never undoes one, a row sent without an answer is
 * kept as sent; a tracking URL comes back as written, given or derived); values that are not
 * UTF-8 do not break a line; a last line cut short by a crash is ignored, a broken line
 * elsewhere is refused; the file is never created over another run's journal nor through a
 * planted symlink; it is locked while open (sl_journal_busy) and removed or kept on close as
 * asked. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "shipload/carrier.h"
#include "shipload/journal.h"
#include "test_report_util.h"

static sl_journal_run sample_run(size_t records)
{
    static const char *const formats[] = { "%d/%m/%Y" };
    sl_journal_run run = { "import", "/data/manifest.csv", "ab12", 1234, "generic-csv", NULL,
                           NULL, formats, 1, 20424, 1, 0, 0, -1, "ecart",
                           "http://127.0.0.1:8080", records };
    return run;
}

static sl_journal *open_journal(const char *dir, size_t records)
{
    sl_journal_run run = sample_run(records);
    sl_error err = { "" };
    sl_journal *journal = sl_journal_open(dir, &run, 64 * 1024, &err);
    ck_assert_msg(journal != NULL, "%s", err.message);
    return journal;
}

static void sent_row(sl_journal *journal, sl_row *row)
{
    const sl_row *rows[] = { row };
    ck_assert_int_eq(sl_journal_sending(journal, "create", "ord-1", rows, 1), 0);
}

START_TEST(writes_and_outcomes_come_back_per_record)
{
    char *dir = make_scratch_dir();
    sl_journal *journal = open_journal(dir, 4);
    sl_row rows[4];
    row_fill(&rows[0], 1, "#1001", "SKU-1", "1", "1Z999AA10123456784", SL_STATUS_INVALID,
             SL_CODE_BAD_QUANTITY, "quantity 'x' is not a number");
    row_fill(&rows[1], 2, "#1002", "SKU-2", "2", "1Z999AA10123456785", SL_STATUS_PENDING,
             SL_CODE_NONE, NULL);
    row_fill(&rows[2], 3, "#1003", "SKU-3", "1", "1Z999AA10123456786", SL_STATUS_PENDING,
             SL_CODE_NONE, NULL);
    row_fill(&rows[3], 4, "#1004", "SKU-4", "1", "1Z999AA10123456787", SL_STATUS_PENDING,
             SL_CODE_NONE, NULL);
    sl_row_set(&sl_row_own_extra(&rows[0])->tracking_url, "https://example.com/t/1");   /* given */
    rows[1].url_carrier = (unsigned char)(sl_carrier_index(sl_carrier_find("UPS")) + 1);
    sl_error err = { "" };
    ck_assert_int_eq(sl_journal_row(journal, &rows[0]), 0);
    sent_row(journal, &rows[1]);
    sent_row(journal, &rows[2]);
    ck_assert_int_eq(sl_journal_sync(journal, &err), 0);
    rows[1].status = SL_STATUS_SHIPPED;
    rows[1].http_status = 201;
    sl_row_set(&rows[1].fulfillment_id, "ful-77");
    sl_row_set(&rows[1].order_id, "ord-1");
    sl_row_warn_as(&rows[1], SL_WARNING_SHIP_DATE_OLD, "shipped 40 days ago");
    ck_assert_int_eq(sl_journal_row(journal, &rows[1]), 0);
    sent_row(journal, &rows[1]);   /* a row sent again later never undoes its outcome */
    ck_assert_int_eq(sl_journal_sync(journal, &err), 0);
    ck_assert_int_eq(sl_journal_busy(sl_journal_path(journal), &err), 1);
    char *path = strdup(sl_journal_path(journal));
    sl_journal_close(journal, 0);
    ck_assert_int_eq(sl_journal_busy(path, &err), 0);

    sl_journal_contents contents;
    ck_assert_msg(sl_journal_read(path, &contents, &err) == 0, "%s", err.message);
    ck_assert_str_eq(contents.source, "/data/manifest.csv");
    ck_assert_str_eq(contents.template_name, "generic-csv");
    ck_assert_str_eq(contents.sha256_hex, "ab12");
    ck_assert_uint_eq(contents.records, 4);
    ck_assert_uint_eq(contents.date_format_count, 1);
    ck_assert_str_eq(contents.date_formats[0], "%d/%m/%Y");
    ck_assert_int_eq(contents.today, 20424);
    ck_assert_int_eq(contents.notify, -1);
    ck_assert_ptr_null(contents.encoding);
    ck_assert_uint_eq(contents.outcome_count, 2);
    ck_assert_uint_eq(contents.sent_count, 2);
    ck_assert_int_eq(contents.outcomes[1].status, SL_STATUS_INVALID);
    ck_assert_int_eq(contents.outcomes[1].code, SL_CODE_BAD_QUANTITY);
    ck_assert_str_eq(contents.outcomes[1].message, "quantity 'x' is not a number");
    ck_assert_str_eq(sl_row_given_tracking_url(&contents.outcomes[1]), "https://example.com/t/1");
    /* derived: read back as text */
    ck_assert_str_eq(sl_row_given_tracking_url(&contents.outcomes[2]),
                     "https://www.ups.com/track?tracknum=1Z999AA10123456785");
    ck_assert_int_eq(contents.sent[1], 0);
    ck_assert_int_eq(contents.outcomes[2].status, SL_STATUS_SHIPPED);
    ck_assert_str_eq(contents.outcomes[2].fulfillment_id, "ful-77");
    ck_assert_int_eq(contents.outcomes[2].http_status, 201);
    ck_assert_uint_eq(sl_row_warning_kinds(&contents.outcomes[2]), 1u << SL_WARNING_SHIP_DATE_OLD);
    ck_assert_uint_eq(contents.outcomes[2].tracking_count, 1);
    ck_assert_str_eq(contents.outcomes[2].tracking_numbers[0], "1Z999AA10123456785");
    ck_assert_int_eq(contents.sent[3], 1);   /* sent, no answer: kept as it was sent */
    ck_assert_int_eq(contents.outcomes[3].status, SL_STATUS_PENDING);
    ck_assert_str_eq(contents.outcomes[3].order_ref, "#1003");
    ck_assert_int_eq(contents.sent[4], 0);
    ck_assert_uint_eq(contents.outcomes[4].record, 0);   /* nothing of it */
    sl_journal_contents_clear(&contents);
    for (int i = 0; i < 4; i++)
        sl_row_clear(&rows[i]);
    free(path);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(bytes_that_are_not_utf8_keep_the_line_whole)
{
    char *dir = make_scratch_dir();
    sl_journal *journal = open_journal(dir, 1);
    sl_row row;
    row_fill(&row, 1, "#10\xE9\xFF", "SKU", "1", "1Z999AA10123456784", SL_STATUS_INVALID,
             SL_CODE_BAD_ENCODING, "bad bytes");
    ck_assert_int_eq(sl_journal_row(journal, &row), 0);
    char *path = strdup(sl_journal_path(journal));
    sl_journal_close(journal, 0);
    sl_journal_contents contents;
    sl_error err = { "" };
    ck_assert_msg(sl_journal_read(path, &contents, &err) == 0, "%s", err.message);
    ck_assert_str_eq(contents.outcomes[1].order_ref, "#10\xEF\xBF\xBD\xEF\xBF\xBD");
    sl_journal_contents_clear(&contents);
    sl_row_clear(&row);
    free(path);
    remove_tree(dir);
    free(dir);
}
END_TEST

static void append(const char *path, const char *text)
{
    FILE *fp = fopen(path, "a");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

START_TEST(a_torn_last_line_is_ignored_a_broken_one_refused)
{
    char *dir = make_scratch_dir();
    sl_journal *journal = open_journal(dir, 2);
    sl_row row;
    row_fill(&row, 1, "#1001", "SKU", "1", "1Z999AA10123456784", SL_STATUS_SHIPPED,
             SL_CODE_NONE, NULL);
    ck_assert_int_eq(sl_journal_row(journal, &row), 0);
    char *path = strdup(sl_journal_path(journal));
    sl_journal_close(journal, 0);
    append(path, "{\"record\": 2, \"status\": \"ship");   /* killed mid-write */
    sl_journal_contents contents;
    sl_error err = { "" };
    ck_assert_msg(sl_journal_read(path, &contents, &err) == 0, "%s", err.message);
    ck_assert_int_eq(contents.torn_tail, 1);
    ck_assert_uint_eq(contents.outcome_count, 1);
    sl_journal_contents_clear(&contents);
    append(path, "\n{\"record\": 2}\n");   /* a complete line that is not JSON, then another */
    ck_assert_int_eq(sl_journal_read(path, &contents, &err), -1);
    ck_assert_msg(strstr(err.message, "line 3") != NULL, "%s", err.message);
    char *other = path_in(dir, "other.jsonl");
    append(other, "{\"hello\": 1}\n");
    ck_assert_int_eq(sl_journal_read(other, &contents, &err), -1);
    ck_assert_msg(strstr(err.message, "not a shipload journal") != NULL, "%s", err.message);
    sl_row_clear(&row);
    free(other);
    free(path);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(never_over_another_journal_nor_through_a_link)
{
    char *dir = make_scratch_dir();
    sl_journal *journal = open_journal(dir, 1);
    sl_journal_run run = sample_run(1);
    sl_error err = { "" };
    ck_assert_ptr_null(sl_journal_open(dir, &run, 0, &err));   /* the first is still there */
    ck_assert_msg(strstr(err.message, "report --rebuild") != NULL, "%s", err.message);
    sl_journal_close(journal, 1);
    char *path = path_in(dir, SL_JOURNAL_NAME);
    struct stat info;
    ck_assert_int_eq(stat(path, &info), -1);   /* removed on close, as asked */
    char *victim = path_in(dir, "victim");
    append(victim, "keep me\n");
    ck_assert_int_eq(symlink(victim, path), 0);
    ck_assert_ptr_null(sl_journal_open(dir, &run, 0, &err));
    size_t len = 0;
    char *kept = slurp(dir, "victim", &len);
    ck_assert_str_eq(kept, "keep me\n");
    free(kept);
    free(victim);
    free(path);
    remove_tree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_journal");
    TCase *tc = tcase_create("journal");
    tcase_add_test(tc, writes_and_outcomes_come_back_per_record);
    tcase_add_test(tc, bytes_that_are_not_utf8_keep_the_line_whole);
    tcase_add_test(tc, a_torn_last_line_is_ignored_a_broken_one_refused);
    tcase_add_test(tc, never_over_another_journal_nor_through_a_link);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
