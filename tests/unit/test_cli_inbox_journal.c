/* test_cli_inbox_journal.c: the inbox journal (src/cli/inbox_journal.c, compiled in here: the
 * cli has no library of its own): steps appended and read back by a second open, the last step
 * of a name, the last "done" of a SHA-256, a line torn by a crash ignored, names with a tab or
 * a line break refused, and the lock that keeps a second run out. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli/inbox_journal.c"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static char journal_path[64];

static void setup(void)
{
    snprintf(journal_path, sizeof(journal_path), "/tmp/shipload-journal-XXXXXX");
    int fd = mkstemp(journal_path);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

static void teardown(void)
{
    unlink(journal_path);
}

START_TEST(steps_are_read_back)
{
    inbox_journal journal;
    sl_error err = { "" };
    ck_assert_int_eq(inbox_journal_open(&journal, journal_path, &err), 0);
    ck_assert_int_eq(inbox_journal_add(&journal, "claim", "-", "a.csv", "a.csv", 0, &err), 0);
    ck_assert_int_eq(inbox_journal_add(&journal, "start", SHA_A, "a.csv", "", 0, &err), 0);
    ck_assert_int_eq(inbox_journal_add(&journal, "done", SHA_A, "a.csv", "exit 1", 1, &err), 0);
    ck_assert_int_eq(inbox_journal_add(&journal, "claim", "-", "b.csv", "b.csv", 0, &err), 0);
    ck_assert_int_eq(inbox_journal_add(&journal, "failed", SHA_B, "b.csv", "exit 3", 1, &err), 0);
    inbox_journal_close(&journal);

    ck_assert_int_eq(inbox_journal_open(&journal, journal_path, &err), 0);
    ck_assert_uint_eq(journal.count, 5);
    const inbox_step *last = inbox_journal_last(&journal, "a.csv");
    ck_assert_ptr_nonnull(last);
    ck_assert_str_eq(last->state, "done");
    ck_assert_str_eq(last->detail, "exit 1");
    ck_assert_int_gt((long)last->when, 1700000000L);
    ck_assert_ptr_nonnull(inbox_journal_done(&journal, SHA_A));
    ck_assert_ptr_null(inbox_journal_done(&journal, SHA_B));   /* failed is not imported */
    ck_assert_int_eq(inbox_journal_knows(&journal, "b.csv"), 1);
    ck_assert_int_eq(inbox_journal_knows(&journal, "c.csv"), 0);
    inbox_journal_close(&journal);
}
END_TEST

START_TEST(torn_last_line_is_ignored)
{
    FILE *file = fopen(journal_path, "w");
    ck_assert_ptr_nonnull(file);
    fprintf(file, "2026-12-02T10:00:00Z\tdone\t%s\ta.csv\texit 0\n", SHA_A);
    fprintf(file, "2026-12-02T10:00:01Z\tdone\t%s\tb.c", SHA_B);   /* cut by a crash */
    fclose(file);
    inbox_journal journal;
    sl_error err = { "" };
    ck_assert_int_eq(inbox_journal_open(&journal, journal_path, &err), 0);
    ck_assert_uint_eq(journal.count, 1);
    ck_assert_ptr_null(inbox_journal_done(&journal, SHA_B));
    ck_assert_int_eq((long)journal.steps[0].when, 1796205600L);
    inbox_journal_close(&journal);
}
END_TEST

START_TEST(names_with_tabs_are_refused)
{
    inbox_journal journal;
    sl_error err = { "" };
    ck_assert_int_eq(inbox_journal_open(&journal, journal_path, &err), 0);
    ck_assert_int_eq(inbox_journal_add(&journal, "claim", "-", "a\tb.csv", "", 0, &err), -1);
    ck_assert_int_eq(inbox_journal_add(&journal, "claim", "-", "a\nb.csv", "", 0, &err), -1);
    ck_assert_uint_eq(journal.count, 0);
    inbox_journal_close(&journal);
}
END_TEST

START_TEST(a_second_run_is_kept_out)
{
    inbox_journal journal;
    sl_error err = { "" };
    ck_assert_int_eq(inbox_journal_open(&journal, journal_path, &err), 0);
    pid_t child = fork();
    if (child == 0) {   /* another process: flock is per open file, so a child sees the lock */
        inbox_journal other;
        sl_error other_err = { "" };
        int rc = inbox_journal_open(&other, journal_path, &other_err);
        inbox_journal_close(&other);
        _exit(rc == 1 && strstr(other_err.message, "another shipload run") ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    inbox_journal_close(&journal);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("cli_inbox_journal");
    TCase *tc = tcase_create("journal");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, steps_are_read_back);
    tcase_add_test(tc, torn_last_line_is_ignored);
    tcase_add_test(tc, names_with_tabs_are_refused);
    tcase_add_test(tc, a_second_run_is_kept_out);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? 1 : 0;
}
