/* test_input_remote.c: remote.c without a server: which sources are URLs and which URLs hold a
 * glob; a transfer that fails before any byte fails at open with a message that names the URL
 * without its password; the options checked before connecting (a --header-file that is missing
 * or holds a line that is not a header, an --ssh-key that cannot be read). The transfers
 * themselves are tested end to end against sshd and a TLS server (tests/e2e/test_remote_*). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shipload/remote.h"

START_TEST(urls_are_recognised)
{
    static const struct { const char *source; int url; } cases[] = {
        { "sftp://u@h/x.csv", 1 }, { "SFTP://u@h/x.csv", 1 }, { "ftps://h/x.csv", 1 },
        { "https://h/x.csv", 1 }, { "http://h/x.csv", 0 }, { "ftp://h/x.csv", 0 },
        { "file:///x.csv", 0 }, { "/tmp/sftp://x", 0 }, { "-", 0 }, { "x.csv", 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ck_assert_msg(sl_remote_is_url(cases[i].source) == cases[i].url, "%s", cases[i].source);
    ck_assert_int_eq(sl_remote_is_url(NULL), 0);
}
END_TEST

START_TEST(globs_only_in_the_last_segment)
{
    ck_assert_int_eq(sl_remote_has_glob("sftp://h/outbox/*.csv"), 1);
    ck_assert_int_eq(sl_remote_has_glob("sftp://h/outbox/day-?.csv"), 1);
    ck_assert_int_eq(sl_remote_has_glob("sftp://h/outbox/[ab].csv"), 1);
    ck_assert_int_eq(sl_remote_has_glob("sftp://h/out*/a.csv"), 0);
    ck_assert_int_eq(sl_remote_has_glob("https://h/a.csv"), 0);
}
END_TEST

START_TEST(refused_connection_fails_at_open_without_the_password)
{
    sl_remote_options options = { 0 };
    options.connect_timeout_ms = 5000;
    sl_error err = { "" };
    sl_stream *stream = sl_remote_stream_open("https://user:hunter2@127.0.0.1:1/m.csv", &options,
                                              SL_ENCODING_AUTO, &err);
    ck_assert_ptr_null(stream);
    ck_assert_msg(strstr(err.message, "https://127.0.0.1:1/m.csv: ") == err.message, "%s",
                  err.message);
    ck_assert_ptr_null(strstr(err.message, "hunter2"));
    ck_assert_ptr_null(strstr(err.message, "user"));   /* sl_url_shown: no userinfo at all */
}
END_TEST

static char *scratch_file(const char *text)
{
    char *path = strdup("/tmp/shipload-remote-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

START_TEST(header_file_is_checked)
{
    sl_remote_options options = { 0 };
    sl_error err = { "" };
    options.header_file = "/nonexistent/headers";
    ck_assert_ptr_null(sl_remote_stream_open("https://127.0.0.1:1/m.csv", &options,
                                             SL_ENCODING_AUTO, &err));
    ck_assert_str_eq(err.message, "--header-file /nonexistent/headers: No such file or directory");
    char *path = scratch_file("# comment\n\nX-Signature: abc\nnot a header\n");
    options.header_file = path;
    ck_assert_ptr_null(sl_remote_stream_open("https://127.0.0.1:1/m.csv", &options,
                                             SL_ENCODING_AUTO, &err));
    ck_assert_msg(strstr(err.message, "a line is not 'Name: value'") != NULL, "%s", err.message);
    ck_assert_ptr_null(strstr(err.message, "abc"));
    unlink(path);
    free(path);
}
END_TEST

START_TEST(ssh_key_and_known_hosts_are_checked)
{
    sl_remote_options options = { 0 };
    sl_error err = { "" };
    options.ssh_key = "/nonexistent/id_ed25519";
    options.known_hosts = "/dev/null";
    ck_assert_ptr_null(sl_remote_stream_open("sftp://u@127.0.0.1:1/m.csv", &options,
                                             SL_ENCODING_AUTO, &err));
    ck_assert_str_eq(err.message, "--ssh-key /nonexistent/id_ed25519: No such file or directory");
    char **names = NULL;
    size_t count = 0;
    options.ssh_key = NULL;
    options.known_hosts = NULL;
    const char *home = getenv("HOME");
    char *saved = home ? strdup(home) : NULL;
    unsetenv("HOME");
    ck_assert_int_eq(sl_remote_list("sftp://u@127.0.0.1:1/out/", &options, &names, &count, &err),
                     -1);
    ck_assert_msg(strstr(err.message, "give --known-hosts FILE") != NULL, "%s", err.message);
    ck_assert_uint_eq(count, 0);
    if (saved)
        setenv("HOME", saved, 1);
    free(saved);
}
END_TEST

START_TEST(renames_only_on_file_servers)
{
    sl_remote_options options = { 0 };
    sl_error err = { "" };
    ck_assert_int_eq(sl_remote_dir_ops("https://h/out/", &options, NULL, 0, "a", "b", NULL, &err),
                     -1);
    ck_assert_str_eq(err.message,
                     "https://h/out/: files can be moved only on sftp:// and ftps:// servers");
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("input_remote");
    TCase *tc = tcase_create("remote");
    tcase_add_test(tc, urls_are_recognised);
    tcase_add_test(tc, globs_only_in_the_last_segment);
    tcase_add_test(tc, refused_connection_fails_at_open_without_the_password);
    tcase_add_test(tc, header_file_is_checked);
    tcase_add_test(tc, ssh_key_and_known_hosts_are_checked);
    tcase_add_test(tc, renames_only_on_file_servers);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? 1 : 0;
}
