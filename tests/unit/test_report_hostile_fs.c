/* test_report_hostile_fs.c: the reports on a hostile machine. A symlink planted where a
 * temporary report file used to be named (.NAME.PID.tmp) or at a final name is never followed:
 * the file it points to stays as it was. A report directory that fills up (a 256 KiB tmpfs,
 * mounted when the tests may mount; skipped with a message otherwise): the reports that fit are
 * finished, the ones that do not are not left under their final name (nor as temporary files),
 * and sl_report_close says which, naming the directory and ENOSPC. */
#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "test_report_util.h"

static void add_rows(sl_report *report, size_t count, const char *message)
{
    for (size_t i = 1; i <= count; i++) {
        sl_row row;
        row_fill(&row, i, "#1001", "SKU-1", "1", "1Z999AA10123456784",
                 i % 2 ? SL_STATUS_VALID : SL_STATUS_INVALID,
                 i % 2 ? SL_CODE_NONE : SL_CODE_BAD_VALUE, i % 2 ? NULL : message);
        sl_error err = { "" };
        ck_assert_int_eq(sl_report_add(report, &row, NULL, &err), 0);
        sl_row_clear(&row);
    }
}

START_TEST(planted_symlinks_are_not_followed)
{
    char *dir = make_scratch_dir();
    char *victim = path_in(dir, "victim.txt");
    FILE *fp = fopen(victim, "w");
    fputs("precious\n", fp);
    fclose(fp);
    static const char *const names[] = { "results.csv", "rejects.csv", "summary.json" };
    for (size_t i = 0; i < 3; i++) {
        char name[128];
        snprintf(name, sizeof(name), ".%s.%ld.tmp", names[i], (long)getpid());
        char *link = path_in(dir, name);
        ck_assert_int_eq(symlink(victim, link), 0);
        free(link);
    }
    char *final_link = path_in(dir, "rejects.csv");
    ck_assert_int_eq(symlink(victim, final_link), 0);
    sl_report_options options = { .dir = dir, .command = "validate", .formats = SL_REPORT_CSV };
    sl_error err = { "" };
    sl_report *report = sl_report_open(&options, &err);
    ck_assert_msg(report != NULL, "%s", err.message);
    add_rows(report, 4, "bad");
    ck_assert_int_eq(sl_report_close(report, NULL, &err), 0);
    sl_report_free(report);
    char *text = slurp(dir, "victim.txt", NULL);
    ck_assert_str_eq(text, "precious\n");
    free(text);
    struct stat info;
    ck_assert_int_eq(lstat(final_link, &info), 0);
    ck_assert(S_ISREG(info.st_mode));   /* the link itself was replaced */
    ck_assert_int_eq(hidden_entries(dir), 3);   /* the planted links, nothing of ours */
    free(final_link);
    free(victim);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* A tmpfs of size bytes on a new directory; NULL when mounting is not permitted. */
static char *small_tmpfs(const char *size)
{
    char *dir = make_scratch_dir();
    char options[64];
    snprintf(options, sizeof(options), "size=%s", size);
    if (mount("tmpfs", dir, "tmpfs", 0, options) != 0) {
        fprintf(stderr, "test_report_hostile_fs: cannot mount a tmpfs (%s): the full-disk test "
                "is skipped\n", strerror(errno));
        rmdir(dir);
        free(dir);
        return NULL;
    }
    return dir;
}

START_TEST(full_directory_leaves_no_partial_report)
{
    char *dir = small_tmpfs("256k");
    if (!dir)
        return;
    sl_report_options options = { .dir = dir, .command = "validate", .formats = SL_REPORT_CSV };
    sl_error err = { "" };
    sl_report *report = sl_report_open(&options, &err);
    ck_assert_msg(report != NULL, "%s", err.message);
    char message[200];
    memset(message, 'x', sizeof(message) - 1);
    message[sizeof(message) - 1] = '\0';
    add_rows(report, 4000, message);   /* ~1 MB of results.csv, ~0.5 MB of rejects.csv */
    ck_assert_int_eq(sl_report_close(report, NULL, &err), -1);
    ck_assert_uint_eq(sl_report_rows(report), 4000);   /* every row was still counted */
    sl_report_free(report);
    ck_assert_msg(strstr(err.message, dir) != NULL, "%s", err.message);
    ck_assert_msg(strstr(err.message, "ENOSPC") != NULL, "%s", err.message);
    ck_assert_msg(strstr(err.message, "results.csv") != NULL, "%s", err.message);
    char *results = slurp(dir, "results.csv", NULL);
    char *rejects = slurp(dir, "rejects.csv", NULL);
    ck_assert_ptr_null(results);
    ck_assert_ptr_null(rejects);
    ck_assert_int_eq(hidden_entries(dir), 0);
    char *summary = slurp(dir, "summary.json", NULL);   /* small: it fits once the others go */
    ck_assert_ptr_nonnull(summary);
    ck_assert_msg(strstr(summary, "ENOSPC") != NULL, "%s", summary);
    ck_assert_msg(strstr(summary, "\"complete\": false") != NULL, "%s", summary);
    free(summary);
    ck_assert_int_eq(umount(dir), 0);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(what_fits_is_finished)
{
    char *dir = small_tmpfs("256k");
    if (!dir)
        return;
    sl_report_options options = { .dir = dir, .command = "validate", .formats = SL_REPORT_CSV };
    sl_error err = { "" };
    sl_report *report = sl_report_open(&options, &err);
    ck_assert_msg(report != NULL, "%s", err.message);
    /* results.csv outgrows the directory; rejects.csv (short rows, few of them) fits */
    for (size_t i = 1; i <= 3000; i++) {
        sl_row row;
        int bad = i % 100 == 0;
        row_fill(&row, i, "#1001", "SKU-1-WITH-A-RATHER-LONG-NAME-FOR-ITS-CELL", "1",
                 "1Z999AA10123456784", bad ? SL_STATUS_INVALID : SL_STATUS_VALID,
                 bad ? SL_CODE_BAD_VALUE : SL_CODE_NONE, bad ? "bad" : NULL);
        ck_assert_int_eq(sl_report_add(report, &row, NULL, &err), 0);
        sl_row_clear(&row);
    }
    ck_assert_int_eq(sl_report_close(report, NULL, &err), -1);
    sl_report_free(report);
    ck_assert_msg(strstr(err.message, "results.csv (No space left on device (ENOSPC))") != NULL,
                  "%s", err.message);
    ck_assert_msg(strstr(err.message, "rejects.csv") == NULL, "%s", err.message);
    char *results = slurp(dir, "results.csv", NULL);
    ck_assert_ptr_null(results);
    size_t len;
    char *rejects = slurp(dir, "rejects.csv", &len);
    ck_assert_ptr_nonnull(rejects);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += rejects[i] == '\n';
    ck_assert_uint_eq(lines, 30 + 1);   /* complete: every rejected row and the header */
    free(rejects);
    ck_assert_int_eq(umount(dir), 0);
    remove_tree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_hostile_fs");
    TCase *tc = tcase_create("hostile_fs");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, planted_symlinks_are_not_followed);
    tcase_add_test(tc, full_directory_leaves_no_partial_report);
    tcase_add_test(tc, what_fits_is_finished);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
