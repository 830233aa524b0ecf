/* test_match_lookup.c: matching's reads driven through the HTTP client (lookup.h) against a fake
 * API in the process: distinct ids in batches of at most 50, each reference once; names one
 * request per distinct name; packages read only where summaries lack items and fulfillments
 * only where something shipped; a 401 stops everything after one request; a server that keeps
 * failing leaves the rows failed with server_error. */
#include "test_fake_api.h"
#include "test_match_util.h"
#include "shipload/lookup.h"

#define PACKAGE(fo, status, items) \
    "{'id':'pk_" fo "','fulfillmentOrderId':'" fo "','status':'" status "','items':[" items "]}"
#define ITEM(id, sku, quantity, fulfilled) \
    "{'id':'" id "','sku':'" sku "','quantity':" #quantity ",'fulfilledQuantity':" #fulfilled "}"

/* n orders "1".."n" named #1001.., each with one fresh package of one item. */
static char *generated_store(int n)
{
    size_t cap = (size_t)n * 256 + 16, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, "[");
    for (int i = 1; i <= n; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "%s{'id':'%d','name':'#%d','fulfillmentStatus':'unfulfilled',"
                                "'packages':[{'id':'pk%d','fulfillmentOrderId':'fo%d',"
                                "'status':'pending','items':[{'id':'li%d','sku':'A',"
                                "'quantity':1,'fulfilledQuantity':0}]}]}",
                                i > 1 ? "," : "", i, 1000 + i, i, i, i);
    snprintf(text + len, cap - len, "]");
    return text;
}

static void lookup(fake_api *api, sl_order_index *index, sl_row *rows, size_t count,
                   int max_attempts, sl_lookup_stats *stats)
{
    sl_http *http = fake_client(api, 4, max_attempts);
    sl_error err = { "" };
    ck_assert_int_eq(sl_lookup_orders(http, index, rows, count, NULL, stats, &err), 0);
    sl_http_free(http);
}

static void match(sl_order_index *index, sl_row *rows, size_t count, sl_match *matches)
{
    sl_match_options options = { .on_conflict = SL_ON_CONFLICT_SKIP };
    sl_error err = { "" };
    ck_assert_int_eq(sl_match_rows(index, rows, count, &options, matches, NULL, &err), 0);
}

START_TEST(ids_go_in_batches_of_fifty_once_each)
{
    char *store = generated_store(120);
    fake_api *api = fake_api_start(store);
    enum { N = 240 };
    static sl_row rows[N];
    static sl_match matches[N];
    for (int i = 0; i < N; i++) {   /* every order twice */
        char id[16], tracking[16];
        snprintf(id, sizeof(id), "%d", i % 120 + 1);
        snprintf(tracking, sizeof(tracking), "T%d", i);
        row_make(&rows[i], (size_t)i + 1, id, SL_REF_ID, NULL, NULL, 0, tracking, SL_ACTION_SHIP);
    }
    sl_order_index *index = sl_order_index_new();
    sl_lookup_stats stats;
    lookup(api, index, rows, N, 3, &stats);
    ck_assert_int_eq(api->count, 3);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders?ids="), 3);
    for (int r = 0; r < api->count; r++) {
        int commas = 0;
        for (const char *p = api->path[r]; *p; p++)
            commas += *p == ',';
        ck_assert_int_le(commas + 1, 50);
    }
    ck_assert_uint_eq(stats.id_batches, 3);
    ck_assert_uint_eq(stats.package_reads + stats.fulfillment_pages + stats.name_pages, 0);
    match(index, rows, N, matches);
    for (int i = 0; i < 120; i++)   /* the first row of each order ships the package */
        ck_assert_int_eq(matches[i].op, SL_MATCH_CREATE);
    rows_clear(rows, N);
    sl_order_index_free(index);
    fake_api_stop(api);
    free(store);
}
END_TEST

START_TEST(names_once_per_distinct_name)
{
    char *store = generated_store(3);
    fake_api *api = fake_api_start(store);
    sl_row rows[4];
    sl_match matches[4];
    row_make(&rows[0], 1, "#1001", SL_REF_NAME, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[1], 2, " 1001 ", SL_REF_NAME, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[2], 3, "#1002", SL_REF_AUTO, NULL, NULL, 0, "T2", SL_ACTION_SHIP);
    row_make(&rows[3], 4, "#1099", SL_REF_NAME, NULL, NULL, 0, "T3", SL_ACTION_SHIP);
    sl_order_index *index = sl_order_index_new();
    sl_lookup_stats stats;
    lookup(api, index, rows, 4, 3, &stats);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders?name="), 3);
    ck_assert_int_eq(api->count, 3);
    match(index, rows, 4, matches);
    ck_assert_int_eq(matches[0].op, SL_MATCH_CREATE);
    ck_assert_str_eq(rows[0].order_id, "1");
    ck_assert_str_eq(rows[2].order_id, "2");
    ck_assert_int_eq(rows[3].status, SL_STATUS_UNMATCHED);
    ck_assert_int_eq(rows[3].code, SL_CODE_ORDER_NOT_FOUND);
    rows_clear(rows, 4);
    sl_order_index_free(index);
    fake_api_stop(api);
    free(store);
}
END_TEST

/* Order 1 fresh; order 2's summaries lack items; order 3 shipped T9 already. */
static const char *const MIXED = "["
    "{'id':'1','name':'#1','fulfillmentStatus':'unfulfilled','packages':["
    PACKAGE("fo1", "pending", ITEM("li1", "A", 1, 0)) "]},"
    "{'id':'2','name':'#2','fulfillmentStatus':'unfulfilled','packages':["
    "{'id':'pk_fo2','fulfillmentOrderId':'fo2','status':'pending'}],"
    " 'fullPackages':[" PACKAGE("fo2", "pending", ITEM("li2", "A", 1, 0)) "]},"
    "{'id':'3','name':'#3','fulfillmentStatus':'fulfilled','packages':["
    PACKAGE("fo3", "shipped", ITEM("li3", "A", 1, 1)) "],"
    " 'allFulfillments':[{'id':'f3','fulfillmentOrderId':'fo3','tracking':{'numbers':['T9']},"
    "  'status':'shipped','items':[{'id':'li3','quantity':1}]}]}"
    "]";

START_TEST(further_reads_only_where_needed)
{
    fake_api *api = fake_api_start(MIXED);
    sl_row rows[3];
    sl_match matches[3];
    row_make(&rows[0], 1, "1", SL_REF_ID, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[1], 2, "2", SL_REF_ID, NULL, NULL, 0, "T2", SL_ACTION_SHIP);
    row_make(&rows[2], 3, "3", SL_REF_ID, NULL, NULL, 0, "T9", SL_ACTION_SHIP);
    sl_order_index *index = sl_order_index_new();
    sl_lookup_stats stats;
    lookup(api, index, rows, 3, 3, &stats);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders?ids="), 1);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders/2/packages"), 1);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders/3/fulfillments"), 1);
    ck_assert_int_eq(api->count, 3);
    match(index, rows, 3, matches);
    ck_assert_int_eq(matches[0].op, SL_MATCH_CREATE);
    ck_assert_int_eq(matches[1].op, SL_MATCH_CREATE);
    ck_assert_int_eq(rows[2].status, SL_STATUS_DUPLICATE);
    ck_assert_str_eq(rows[2].fulfillment_id, "f3");
    rows_clear(rows, 3);
    sl_order_index_free(index);
    fake_api_stop(api);
}
END_TEST

START_TEST(unauthorized_stops_after_one_request)
{
    char *store = generated_store(120);
    fake_api *api = fake_api_start(store);
    api->deny_all = 1;
    enum { N = 120 };
    static sl_row rows[N];
    static sl_match matches[N];
    for (int i = 0; i < N; i++) {
        char ref[16];
        snprintf(ref, sizeof(ref), "%d", i + 1);
        row_make(&rows[i], (size_t)i + 1, ref, i < 100 ? SL_REF_ID : SL_REF_NAME, NULL, NULL, 0,
                 "T1", SL_ACTION_SHIP);
    }
    sl_order_index *index = sl_order_index_new();
    sl_lookup_stats stats;
    sl_http *http = fake_client(api, 1, 3);
    sl_error err = { "" };
    ck_assert_int_eq(sl_lookup_orders(http, index, rows, N, NULL, &stats, &err), 0);
    sl_http_free(http);
    ck_assert_int_eq(stats.auth_failed, 1);
    ck_assert_int_eq(api->count, 1);
    match(index, rows, N, matches);
    ck_assert_int_eq(rows[0].status, SL_STATUS_FAILED);
    ck_assert_int_eq(rows[0].code, SL_CODE_AUTH_FAILED);
    ck_assert_int_eq(rows[N - 1].status, SL_STATUS_NOT_ATTEMPTED);
    /* a row never looked up carries what stopped the run (spec §10: a code for every row) */
    ck_assert_int_eq(rows[N - 1].code, SL_CODE_AUTH_FAILED);
    ck_assert(strstr(rows[N - 1].message, "the API refused the token") != NULL);
    for (int i = 1; i < N; i++)
        ck_assert_int_ne(rows[i].code, SL_CODE_NONE);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(matches[i].op, SL_MATCH_NONE);
    rows_clear(rows, N);
    sl_order_index_free(index);
    fake_api_stop(api);
    free(store);
}
END_TEST

START_TEST(failing_server_fails_the_rows)
{
    fake_api *api = fake_api_start(MIXED);
    api->read_status = 503;
    sl_row rows[2];
    sl_match matches[2];
    row_make(&rows[0], 1, "1", SL_REF_ID, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[1], 2, "#2", SL_REF_NAME, NULL, NULL, 0, "T2", SL_ACTION_SHIP);
    sl_order_index *index = sl_order_index_new();
    sl_lookup_stats stats;
    lookup(api, index, rows, 2, 2, &stats);
    ck_assert_int_eq(api->count, 4);    /* two lookups, two attempts each */
    ck_assert_uint_eq(stats.failures, 2);
    match(index, rows, 2, matches);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(rows[i].status, SL_STATUS_FAILED);
        ck_assert_int_eq(rows[i].code, SL_CODE_SERVER_ERROR);
        ck_assert_msg(contains(rows[i].message, "HTTP 503"), "%s", rows[i].message);
    }
    rows_clear(rows, 2);
    sl_order_index_free(index);
    fake_api_stop(api);
}
END_TEST

static Suite *lookup_suite(void)
{
    Suite *suite = suite_create("match_lookup");
    TCase *tc = tcase_create("lookup");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ids_go_in_batches_of_fifty_once_each);
    tcase_add_test(tc, names_once_per_distinct_name);
    tcase_add_test(tc, further_reads_only_where_needed);
    tcase_add_test(tc, unauthorized_stops_after_one_request);
    tcase_add_test(tc, failing_server_fails_the_rows);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(lookup_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? 1 : 0;
}
