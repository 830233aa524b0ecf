/* test_report_summary.c: summary.json (input, template, counts per status and code that add up
 * to the rows, requests per endpoint and status, retries, UTC timestamps, a fatal error), the
 * files' life cycle (temporary names until close, none left after close, nothing left by free
 * without close), mkdir -p, requests.jsonl for dry runs, and a report directory that cannot be
 * made. */
#include <jansson.h>
#include <regex.h>
#include <sys/stat.h>
#include "test_report_util.h"

static json_t *load_summary(const char *dir)
{
    char *path = path_in(dir, "summary.json");
    json_error_t error;
    json_t *summary = json_load_file(path, 0, &error);
    ck_assert_msg(summary != NULL, "summary.json: %s", error.text);
    free(path);
    return summary;
}

static long long count_at(json_t *summary, const char *group, const char *key)
{
    json_t *value = json_object_get(json_object_get(summary, group), key);
    return value ? json_integer_value(value) : 0;
}

static void add_rows(sl_report *report, const sl_status *statuses, const sl_code *codes, size_t n)
{
    sl_error err = { "" };
    for (size_t i = 0; i < n; i++) {
        sl_row row;
        row_fill(&row, i + 1, "#1", "S", "1", "T", statuses[i], codes[i],
                 codes[i] ? "reason" : NULL);
        ck_assert_int_eq(sl_report_add(report, &row, NULL, &err), 0);
        sl_row_clear(&row);
    }
}

static int matches(const char *text, const char *pattern)
{
    regex_t regex;
    ck_assert_int_eq(regcomp(&regex, pattern, REG_EXTENDED | REG_NOSUB), 0);
    int found = regexec(&regex, text, 0, NULL, 0) == 0;
    regfree(&regex);
    return found;
}

START_TEST(counts_add_up_to_rows)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "validate", 0, 0);
    sl_status statuses[] = { SL_STATUS_VALID, SL_STATUS_VALID, SL_STATUS_INVALID,
                             SL_STATUS_INVALID, SL_STATUS_INVALID, SL_STATUS_SKIPPED };
    sl_code codes[] = { SL_CODE_NONE, SL_CODE_NONE, SL_CODE_BAD_DATE, SL_CODE_BAD_DATE,
                        SL_CODE_MISSING_ORDER_REF, SL_CODE_NONE };
    add_rows(report, statuses, codes, 6);
    ck_assert_uint_eq(sl_report_rows(report), 6);
    ck_assert_uint_eq(sl_report_status_count(report, SL_STATUS_INVALID), 3);
    ck_assert_uint_eq(sl_report_code_count(report, SL_CODE_BAD_DATE), 2);
    ck_assert_uint_eq(sl_report_failures(report), 3);
    sl_report_input input = { "manifest.csv.gz", 1234, "ab12", "generic-csv" };
    close_report(report, &input);
    sl_report_free(report);

    json_t *summary = load_summary(dir);
    ck_assert_str_eq(json_string_value(json_object_get(summary, "command")), "validate");
    json_t *in = json_object_get(summary, "input");
    ck_assert_str_eq(json_string_value(json_object_get(in, "name")), "manifest.csv.gz");
    ck_assert_int_eq(json_integer_value(json_object_get(in, "size")), 1234);
    ck_assert_str_eq(json_string_value(json_object_get(in, "sha256")), "ab12");
    ck_assert_str_eq(json_string_value(json_object_get(summary, "template")), "generic-csv");
    ck_assert_str_eq(json_string_value(json_object_get(summary, "report_dir")), dir);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "records")), 6);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "succeeded")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "failed")), 3);
    ck_assert(json_is_true(json_object_get(summary, "complete")));
    ck_assert(json_is_null(json_object_get(summary, "error")));
    ck_assert_int_eq(count_at(summary, "statuses", "valid"), 2);
    ck_assert_int_eq(count_at(summary, "statuses", "invalid"), 3);
    ck_assert_int_eq(count_at(summary, "statuses", "skipped"), 1);
    ck_assert_int_eq(count_at(summary, "error_codes", "bad_date"), 2);
    ck_assert_int_eq(count_at(summary, "error_codes", "missing_order_ref"), 1);
    ck_assert_int_eq(json_object_size(json_object_get(summary, "error_codes")), 2);
    long long sum = 0;
    const char *key;
    json_t *value;
    json_object_foreach(json_object_get(summary, "statuses"), key, value)
        sum += json_integer_value(value);
    ck_assert_int_eq(sum, 6);
    const char *iso = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$";
    ck_assert(matches(json_string_value(json_object_get(summary, "started")), iso));
    ck_assert(matches(json_string_value(json_object_get(summary, "finished")), iso));
    ck_assert(json_is_number(json_object_get(summary, "wall_time_seconds")));
    ck_assert(json_real_value(json_object_get(summary, "wall_time_seconds")) >= 0);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "retries")), 0);
    json_decref(summary);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(warnings_counted_per_kind)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "validate", 0, 0);
    sl_error err = { "" };
    for (int i = 0; i < 3; i++) {
        sl_row row;
        sl_row_init(&row);
        row.record = (size_t)i + 1;
        row.status = i == 2 ? SL_STATUS_INVALID : SL_STATUS_VALID;
        if (i < 2)   /* one row with two warnings of one kind counts once for it */
            sl_row_warn_as(&row, SL_WARNING_SHIP_DATE_OLD, "old");
        if (i == 0)
            sl_row_warn_as(&row, SL_WARNING_SHIP_DATE_OLD, "old again");
        if (i == 2)
            sl_row_warn_as(&row, SL_WARNING_TRACKING_REUSED, "shared");
        ck_assert_msg(sl_report_add(report, &row, NULL, &err) == 0, "%s", err.message);
        sl_row_clear(&row);
    }
    sl_report_count_warning(report, SL_WARNING_UNMAPPED_COLUMN, 2);
    ck_assert_uint_eq(sl_report_warning_count(report, SL_WARNING_SHIP_DATE_OLD), 2);
    close_report(report, NULL);
    sl_report_free(report);
    json_t *summary = load_summary(dir);
    ck_assert_int_eq(count_at(summary, "warnings", "ship_date_old"), 2);
    ck_assert_int_eq(count_at(summary, "warnings", "tracking_reused"), 1);
    ck_assert_int_eq(count_at(summary, "warnings", "unmapped_column"), 2);
    ck_assert_int_eq(json_object_size(json_object_get(summary, "warnings")), 3);
    json_decref(summary);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(requests_and_retries_counted)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "import", 0, 0);
    const char *bulk = "/orders/{id}/packages/fulfillments";
    sl_report_count_request(report, "POST", bulk, 200);
    sl_report_count_request(report, "POST", bulk, 200);
    sl_report_count_request(report, "POST", bulk, 429);
    sl_report_count_request(report, "GET", "/orders", 200);
    sl_report_count_request(report, "PUT", "PUT /fulfillments/{id}", 0);
    sl_report_count_retries(report, 2);
    sl_report_count_retries(report, 1);
    close_report(report, NULL);
    sl_report_free(report);
    json_t *summary = load_summary(dir);
    json_t *requests = json_object_get(summary, "requests");
    ck_assert_int_eq(count_at(requests, "POST /orders/{id}/packages/fulfillments", "200"), 2);
    ck_assert_int_eq(count_at(requests, "POST /orders/{id}/packages/fulfillments", "429"), 1);
    ck_assert_int_eq(count_at(requests, "GET /orders", "200"), 1);
    ck_assert_int_eq(count_at(requests, "PUT /fulfillments/{id}", "none"), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "retries")), 3);
    ck_assert(json_is_null(json_object_get(summary, "input")));
    json_decref(summary);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(temporary_names_until_close)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "validate", 0, 0);
    sl_status statuses[] = { SL_STATUS_VALID };
    sl_code codes[] = { SL_CODE_NONE };
    add_rows(report, statuses, codes, 1);
    /* while writing: only hidden temporary files, no final names */
    ck_assert_int_ge(hidden_entries(dir), 2);
    ck_assert_ptr_null(slurp(dir, "results.csv", NULL));
    ck_assert_ptr_null(slurp(dir, "summary.json", NULL));
    close_report(report, NULL);
    ck_assert_int_eq(hidden_entries(dir), 0);
    char *names[] = { "results.csv", "rejects.csv", "summary.json" };
    for (int i = 0; i < 3; i++) {
        char *text = slurp(dir, names[i], NULL);
        ck_assert_msg(text != NULL, "%s missing", names[i]);
        free(text);
    }
    ck_assert_ptr_null(slurp(dir, "requests.jsonl", NULL));  /* not a dry run */
    sl_error err = { "" };
    ck_assert_int_eq(sl_report_close(report, NULL, &err), 0);    /* second close: nothing */
    sl_report_free(report);
    ck_assert_int_eq(hidden_entries(dir), 0);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(free_without_close_leaves_nothing)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "validate", 0, 1);
    sl_status statuses[] = { SL_STATUS_INVALID };
    sl_code codes[] = { SL_CODE_BAD_VALUE };
    add_rows(report, statuses, codes, 1);
    sl_report_free(report);
    DIR *listing = opendir(dir);
    struct dirent *entry;
    int entries = 0;
    while ((entry = readdir(listing)))
        entries += strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..");
    closedir(listing);
    ck_assert_int_eq(entries, 0);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(fatal_error_recorded)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "validate", 0, 0);
    sl_status statuses[] = { SL_STATUS_VALID, SL_STATUS_VALID };
    sl_code codes[] = { SL_CODE_NONE, SL_CODE_NONE };
    add_rows(report, statuses, codes, 2);
    sl_report_set_fatal(report, "x.csv.gz: truncated gzip stream after 2 records");
    close_report(report, NULL);
    sl_report_free(report);
    json_t *summary = load_summary(dir);
    ck_assert(json_is_false(json_object_get(summary, "complete")));
    ck_assert_str_eq(json_string_value(json_object_get(summary, "error")),
                     "x.csv.gz: truncated gzip stream after 2 records");
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "records")), 2);
    json_decref(summary);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(directory_made_with_parents)
{
    char *root = make_scratch_dir();
    char *nested = path_in(root, "a/b//c");
    sl_report *report = open_report_in(nested, "validate", 0, 0);
    close_report(report, NULL);
    sl_report_free(report);
    char *text = slurp(nested, "results.csv", NULL);
    ck_assert_ptr_nonnull(text);
    free(text);
    /* an existing directory is fine too */
    report = open_report_in(nested, "validate", 0, 0);
    sl_report_free(report);
    remove_tree(root);
    free(nested);
    free(root);
}
END_TEST

START_TEST(directory_that_is_a_file_fails_clearly)
{
    char *root = make_scratch_dir();
    char *file = path_in(root, "taken");
    FILE *fp = fopen(file, "w");
    fclose(fp);
    sl_error err = { "" };
    sl_report_options options = { .dir = file, .command = "validate" };
    ck_assert_ptr_null(sl_report_open(&options, &err));
    ck_assert_ptr_nonnull(strstr(err.message, file));
    options.dir = "";
    ck_assert_ptr_null(sl_report_open(&options, &err));
    remove_tree(root);
    free(file);
    free(root);
}
END_TEST

START_TEST(dry_run_requests_jsonl)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "import", 0, 1);
    sl_error err = { "" };
    ck_assert_int_eq(sl_report_dry_request(report, "POST", "/api/v2/orders/7/packages/fulfillments",
                                           "{\"fulfillments\":[{\"trackingNumbers\":[\"T\"]}]}",
                                           &err), 0);
    ck_assert_int_eq(sl_report_dry_request(report, "GET", "/api/v2/orders", NULL, &err), 0);
    ck_assert_int_eq(sl_report_dry_request(report, "POST", "/x", "{not json", &err), -1);
    close_report(report, NULL);
    sl_report_free(report);
    char *text = slurp(dir, "requests.jsonl", NULL);
    ck_assert_str_eq(text, "{\"method\":\"POST\",\"path\":\"/api/v2/orders/7/packages/fulfillments\","
                           "\"body\":{\"fulfillments\":[{\"trackingNumbers\":[\"T\"]}]}}\n"
                           "{\"method\":\"GET\",\"path\":\"/api/v2/orders\",\"body\":null}\n");
    free(text);
    json_t *summary = load_summary(dir);
    ck_assert(json_is_true(json_object_get(summary, "dry_run")));
    json_decref(summary);
    remove_tree(dir);
    free(dir);

    dir = make_scratch_dir();
    report = open_report_in(dir, "import", 0, 0);
    ck_assert_int_eq(sl_report_dry_request(report, "GET", "/x", NULL, &err), -1);
    sl_report_free(report);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(invalid_utf8_input_name_still_gives_json)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "validate", 0, 0);
    sl_report_input input = { "bad\xff.csv", 0, NULL, NULL };
    close_report(report, &input);
    sl_report_free(report);
    json_t *summary = load_summary(dir);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(summary, "input"), "name")),
                     "bad\xEF\xBF\xBD.csv");
    json_decref(summary);
    remove_tree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_summary");
    TCase *tc = tcase_create("summary");
    tcase_add_test(tc, counts_add_up_to_rows);
    tcase_add_test(tc, requests_and_retries_counted);
    tcase_add_test(tc, warnings_counted_per_kind);
    tcase_add_test(tc, temporary_names_until_close);
    tcase_add_test(tc, free_without_close_leaves_nothing);
    tcase_add_test(tc, fatal_error_recorded);
    tcase_add_test(tc, directory_made_with_parents);
    tcase_add_test(tc, directory_that_is_a_file_fails_clearly);
    tcase_add_test(tc, dry_run_requests_jsonl);
    tcase_add_test(tc, invalid_utf8_input_name_still_gives_json);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
