/* test_engine_lookup_paging.c: a lookup never follows an API's paging without end (issue 19).
 * A name lookup whose answers always say "next page" stops on the first empty page, on a page
 * that repeats the one before, and at its bound (1,000 orders for one name); a page holding
 * more orders than were asked for is refused. The rows concerned fail with a message; the
 * number of requests stays small. An answer larger than a page can need is refused as such
 * (never retried, never "could not be reached"). */
#include <signal.h>
#include "test_fake_api.h"
#include "test_match_util.h"
#include "shipload/lookup.h"
#include "shipload/match.h"

static const char *const STORE = "[]";

typedef enum paging { EMPTY_PAGES, REPEATED_PAGES, FRESH_PAGES, HUGE_PAGE, HUGE_BODY } paging;

/* GET /orders?name=: pages that always say there is a next one. */
static char *endless(fake_api *api, const char *method, const char *path, const char *body,
                     int number, int *status)
{
    (void)method; (void)body; (void)number;
    if (!strstr(path, "name="))
        return NULL;
    paging how = *(paging *)api->data;
    if (how == HUGE_BODY) {   /* 20 MB: more than a page of 50 orders can need */
        size_t size = 20u * 1024 * 1024;
        char *out = malloc(size + 64);
        int used = snprintf(out, 64, "{\"success\":true,\"orders\":[],\"pad\":\"");
        memset(out + used, 'x', size);
        strcpy(out + used + size, "\"}");
        *status = 200;
        return out;
    }
    const char *page_arg = strstr(path, "page=");
    int page = page_arg ? atoi(page_arg + 5) : 1;
    size_t cap = 64 * 1024 + (how == HUGE_PAGE ? 300 * 120 : 0);
    char *out = malloc(cap);
    size_t used = (size_t)snprintf(out, cap, "{\"success\":true,\"orders\":[");
    int count = how == EMPTY_PAGES ? (page == 1 ? 1 : 0) : how == HUGE_PAGE ? 300 : 1;
    for (int i = 0; i < count; i++) {
        int id = how == REPEATED_PAGES ? 1 : page * 1000 + i;
        used += (size_t)snprintf(out + used, cap - used,
                                 "%s{\"id\":\"%d\",\"name\":\"#1001\",\"fulfillmentStatus\":"
                                 "\"unfulfilled\",\"packages\":[]}", i ? "," : "", id);
    }
    snprintf(out + used, cap - used, "],\"page\":{\"current\":%d,\"next\":%d}}", page, page + 1);
    *status = 200;
    return out;
}

static sl_lookup_stats last_stats;

static int name_reads(fake_api *api)
{
    return fake_count(api, "GET", "/api/v2/orders?name=");
}

static void look_up_name(paging how, int *reads, sl_row *row)
{
    fake_api *api = fake_api_start(STORE);
    api->data = &how;
    api->on_read = endless;
    row_make(row, 1, "#1001", SL_REF_NAME, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    sl_http *http = fake_client(api, 2, 1);
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_lookup_orders(http, index, row, 1, NULL, &last_stats, &err), 0);
    sl_http_free(http);
    sl_match_options options = { SL_ON_CONFLICT_SKIP };
    sl_match match;
    ck_assert_int_eq(sl_match_rows(index, row, 1, &options, &match, NULL, &err), 0);
    sl_order_index_free(index);
    *reads = name_reads(api);
    fake_api_stop(api);
}

START_TEST(empty_page_ends_the_paging)
{
    int reads;
    sl_row row;
    look_up_name(EMPTY_PAGES, &reads, &row);
    ck_assert_int_eq(reads, 2);
    rows_clear(&row, 1);
}
END_TEST

START_TEST(repeated_page_ends_the_paging)
{
    int reads;
    sl_row row;
    look_up_name(REPEATED_PAGES, &reads, &row);
    ck_assert_int_eq(reads, 2);
    ck_assert_int_eq(row.status, SL_STATUS_FAILED);
    ck_assert_msg(contains(row.message, "repeats page 1"), "%s", row.message);
    rows_clear(&row, 1);
}
END_TEST

START_TEST(paging_has_a_bound)
{
    int reads;
    sl_row row;
    look_up_name(FRESH_PAGES, &reads, &row);
    ck_assert_int_eq(reads, 20);
    ck_assert_int_eq(row.status, SL_STATUS_FAILED);
    ck_assert_msg(contains(row.message, "still more pages"), "%s", row.message);
    rows_clear(&row, 1);
}
END_TEST

START_TEST(page_larger_than_asked_is_refused)
{
    int reads;
    sl_row row;
    look_up_name(HUGE_PAGE, &reads, &row);
    ck_assert_int_eq(reads, 1);
    ck_assert_int_eq(row.status, SL_STATUS_FAILED);
    ck_assert_msg(contains(row.message, "300 items where at most 250"), "%s", row.message);
    rows_clear(&row, 1);
}
END_TEST

START_TEST(oversized_answer_is_not_unreachable)
{
    int reads;
    sl_row row;
    look_up_name(HUGE_BODY, &reads, &row);
    ck_assert_int_eq(reads, 1);   /* never retried */
    ck_assert_int_eq(last_stats.unreachable, 0);
    ck_assert_int_eq(row.status, SL_STATUS_FAILED);
    ck_assert_msg(contains(row.message, "larger than the 16777216 bytes"), "%s", row.message);
    ck_assert_msg(!contains(row.message, "reached"), "%s", row.message);
    rows_clear(&row, 1);
}
END_TEST

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    Suite *suite = suite_create("engine_lookup_paging");
    TCase *tc = tcase_create("paging");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, empty_page_ends_the_paging);
    tcase_add_test(tc, repeated_page_ends_the_paging);
    tcase_add_test(tc, paging_has_a_bound);
    tcase_add_test(tc, page_larger_than_asked_is_refused);
    tcase_add_test(tc, oversized_answer_is_not_unreachable);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
