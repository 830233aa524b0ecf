/* test_common_curl_load.c: libcurl opened on first use (src/common/curl_load.c). The library is
 * not in the process until a libcurl function that needs it is called (releasing NULL does not
 * count); then every kind of argument the variadic functions take reaches libcurl as it was
 * given (a long, a pointer, a callback, a curl_off_t; an int for a share option), and what
 * libcurl answers comes back. */
#include <check.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/curl_load.h"

/* 1 when libcurl is mapped into this process. */
static int curl_mapped(void)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    ck_assert_ptr_nonnull(maps);
    char line[1024];
    int found = 0;
    while (!found && fgets(line, sizeof(line), maps))
        found = strstr(line, "/libcurl.so") != NULL;
    fclose(maps);
    return found;
}

static size_t ignore_body(char *data, size_t size, size_t count, void *user)
{
    (void)data;
    (void)user;
    return size * count;
}

/* The tests run in one process, in order (no fork): this first one sees the library absent. */
START_TEST(loaded_on_first_use_only)
{
    ck_assert_int_eq(curl_mapped(), 0);
    curl_free(NULL);                   /* releasing nothing needs no library */
    curl_slist_free_all(NULL);
    curl_url_cleanup(NULL);
    curl_easy_cleanup(NULL);
    curl_mime_free(NULL);
    ck_assert_int_eq(curl_mapped(), 0);
    ck_assert_ptr_null(sl_curl_load_error());   /* loads it */
    ck_assert_int_eq(curl_mapped(), 1);
}
END_TEST

START_TEST(easy_options_of_every_type_reach_libcurl)
{
    CURL *easy = curl_easy_init();
    ck_assert_ptr_nonnull(easy);
    ck_assert_int_eq(curl_easy_setopt(easy, CURLOPT_TIMEOUT, 30L), CURLE_OK);
    ck_assert_int_eq(curl_easy_setopt(easy, CURLOPT_URL, "https://example.invalid/x"), CURLE_OK);
    ck_assert_int_eq(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, ignore_body), CURLE_OK);
    ck_assert_int_eq(curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)1 << 40),
                     CURLE_OK);
    ck_assert_int_eq(curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, -1L),
                     CURLE_BAD_FUNCTION_ARGUMENT);   /* the long arrived as it was */
    int marker = 7;
    ck_assert_int_eq(curl_easy_setopt(easy, CURLOPT_PRIVATE, &marker), CURLE_OK);
    void *back = NULL;
    ck_assert_int_eq(curl_easy_getinfo(easy, CURLINFO_PRIVATE, &back), CURLE_OK);
    ck_assert_ptr_eq(back, &marker);
    char *url = NULL;
    ck_assert_int_eq(curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &url), CURLE_OK);
    ck_assert_str_eq(url, "https://example.invalid/x");
    ck_assert_str_eq(curl_easy_strerror(CURLE_OK), "No error");
    curl_easy_cleanup(easy);
}
END_TEST

START_TEST(multi_and_share_options_reach_libcurl)
{
    CURLM *multi = curl_multi_init();
    ck_assert_ptr_nonnull(multi);
    ck_assert_int_eq(curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 4L), CURLM_OK);
    ck_assert_int_eq(curl_multi_setopt(multi, (CURLMoption)99999, 1L), CURLM_UNKNOWN_OPTION);
    ck_assert_int_eq(curl_multi_cleanup(multi), CURLM_OK);
    CURLSH *share = curl_share_init();
    ck_assert_ptr_nonnull(share);
    ck_assert_int_eq(curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS), CURLSHE_OK);
    ck_assert_int_eq(curl_share_setopt(share, CURLSHOPT_SHARE, 12345), CURLSHE_BAD_OPTION);
    ck_assert_int_eq(curl_share_setopt(share, CURLSHOPT_USERDATA, share), CURLSHE_OK);
    ck_assert_int_eq(curl_share_cleanup(share), CURLSHE_OK);
}
END_TEST

START_TEST(url_api_round_trip)
{
    CURLU *url = curl_url();
    ck_assert_ptr_nonnull(url);
    ck_assert_int_eq(curl_url_set(url, CURLUPART_URL, "https://u:p@shop.example/api?q=1", 0),
                     CURLUE_OK);
    ck_assert_int_eq(curl_url_set(url, CURLUPART_PASSWORD, NULL, 0), CURLUE_OK);
    char *host = NULL, *whole = NULL;
    ck_assert_int_eq(curl_url_get(url, CURLUPART_HOST, &host, 0), CURLUE_OK);
    ck_assert_str_eq(host, "shop.example");
    ck_assert_int_eq(curl_url_get(url, CURLUPART_URL, &whole, 0), CURLUE_OK);
    ck_assert_str_eq(whole, "https://u@shop.example/api?q=1");
    curl_free(host);
    curl_free(whole);
    curl_url_cleanup(url);
    struct curl_slist *list = curl_slist_append(NULL, "Accept: application/json");
    ck_assert_ptr_nonnull(list);
    ck_assert_str_eq(list->data, "Accept: application/json");
    curl_slist_free_all(list);
    ck_assert_int_eq((long)curl_getdate("Sun, 06 Nov 1994 08:49:37 GMT", NULL), 784111777L);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("common_curl_load");
    TCase *load = tcase_create("load");
    tcase_add_test(load, loaded_on_first_use_only);
    tcase_add_test(load, easy_options_of_every_type_reach_libcurl);
    tcase_add_test(load, multi_and_share_options_reach_libcurl);
    tcase_add_test(load, url_api_round_trip);
    suite_add_tcase(suite, load);
    SRunner *runner = srunner_create(suite);
    srunner_set_fork_status(runner, CK_NOFORK);   /* the first test needs a fresh process */
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
