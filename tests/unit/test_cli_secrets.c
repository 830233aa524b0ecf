/* test_cli_secrets.c: the token and the credentials of an API URL (issue 19). While
 * cli_api_config holds a token the process is not dumpable (no core file holds it), and it is
 * dumpable again once the token is wiped; the environment's copy of the token is wiped; a URL's
 * userinfo never survives sl_url_shown, which every printed, logged or stored URL goes through. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include "cli/api_config.c"
#include "shipload/url.h"

/* what api_config.c calls of the rest of the command line */
int cli_options_show_progress(const cli_options *options)
{
    (void)options;
    return 0;
}

void cli_remote_options(const cli_options *options, sl_remote_options *remote)
{
    (void)options;
    (void)remote;
}

int cli_interrupted(void)
{
    return 0;
}

START_TEST(undumpable_while_a_token_is_held)
{
    setenv("SHIPLOAD_API_TOKEN", "tok-123-secret", 1);
    const char *environment_copy = getenv("SHIPLOAD_API_TOKEN");
    cli_options options;
    memset(&options, 0, sizeof(options));
    cli_api_config config;
    sl_error err = { "" };
    ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
    ck_assert_int_eq(cli_api_config_load(&options, &config, &err), 0);
    ck_assert_str_eq(config.token, "tok-123-secret");
    ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    ck_assert_ptr_null(getenv("SHIPLOAD_API_TOKEN"));
    ck_assert_ptr_null(strstr(environment_copy, "secret"));   /* wiped in place */
    cli_api_config_clear(&config);
    ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
}
END_TEST

START_TEST(userinfo_is_dropped)
{
    static const char *const cases[][2] = {
        { "https://user:pass@api.example.com/v2", "https://api.example.com/v2" },
        { "https://user@api.example.com", "https://api.example.com" },
        { "http://a:b@c@127.0.0.1:8080/x?y=@z", "http://127.0.0.1:8080/x?y=@z" },
        { "https://api.example.com/orders?email=a@b.c", "https://api.example.com/orders?email=a@b.c" },
        { "user:pass@host/path", "host/path" },
        { "https://api.ecartapi.com", "https://api.ecartapi.com" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char shown[128];
        ck_assert_str_eq(sl_url_shown(cases[i][0], shown, sizeof(shown)), cases[i][1]);
    }
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("cli_secrets");
    TCase *tc = tcase_create("secrets");
    tcase_add_test(tc, undumpable_while_a_token_is_held);
    tcase_add_test(tc, userinfo_is_dropped);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
