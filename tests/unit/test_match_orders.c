/* test_match_orders.c: the order index (match.h steps 1–4): distinct references, id batches and
 * name lookups, name normalisation, auto references, answers from servers that ignore the
 * filter, resolution (not found, ambiguous, canceled, failed, not looked up), the "needs a
 * further read" predicates, the request budget of a fresh import, and an order entry's ledger
 * (one block: each package's free quantities, then its whole-package flags). */
#include "match/match_internal.h"
#include "test_match_util.h"

#define ORDER(id, name, extra) \
    "{'id':'" id "','name':'" name "','number':'" name "','status':'paid'," \
    "'fulfillmentStatus':'unfulfilled'" extra "}"

static sl_order **one_order(const char *order_sq, size_t *count)
{
    size_t len = strlen(order_sq) + 4;
    char *array = malloc(len);
    snprintf(array, len, "[%s]", order_sq);
    sl_order **orders = orders_from(array, count);
    free(array);
    return orders;
}

START_TEST(names_normalise)
{
    char out[64];
    ck_assert_str_eq(sl_order_name_normalise("#1001", out, sizeof(out)), "1001");
    ck_assert_str_eq(sl_order_name_normalise("1001", out, sizeof(out)), "1001");
    ck_assert_str_eq(sl_order_name_normalise("  #1001 ", out, sizeof(out)), "1001");
    ck_assert_str_eq(sl_order_name_normalise("\t# 1001\r\n", out, sizeof(out)), "1001");
    ck_assert_str_eq(sl_order_name_normalise("##1001", out, sizeof(out)), "#1001");
    ck_assert_str_eq(sl_order_name_normalise("SO-7 ", out, sizeof(out)), "SO-7");
    ck_assert_str_eq(sl_order_name_normalise("", out, sizeof(out)), "");
    ck_assert_str_eq(sl_order_name_normalise(NULL, out, sizeof(out)), "");
    ck_assert_str_eq(sl_order_name_normalise("#123456", out, 4), "123");
}
END_TEST

START_TEST(references_are_distinct_and_listed_once)
{
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    sl_row rows[8];
    row_make(&rows[0], 1, "#1001", SL_REF_NAME, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[1], 2, "1001", SL_REF_NAME, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[2], 3, " #1001 ", SL_REF_NAME, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[3], 4, "555", SL_REF_ID, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[4], 5, " 555", SL_REF_ID, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[5], 6, "#1002", SL_REF_AUTO, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[6], 7, "777", SL_REF_AUTO, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[7], 8, "999", SL_REF_ID, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    rows[7].status = SL_STATUS_INVALID;     /* decided rows are not looked up */
    ck_assert_int_eq(sl_order_index_add_rows(index, rows, 8, &err), 0);

    const char **ids = NULL;
    size_t count = 0;
    ck_assert_int_eq(sl_order_index_ids_to_fetch(index, &ids, &count, &err), 0);
    ck_assert_uint_eq(count, 2);
    ck_assert_str_eq(ids[0], "555");
    ck_assert_str_eq(ids[1], "777");     /* auto: the id first */
    free(ids);

    /* before the id answers, the auto reference "777" is no name to look up yet */
    const char **names = NULL;
    ck_assert_int_eq(sl_order_index_names_to_fetch(index, &names, &count, &err), 0);
    ck_assert_uint_eq(count, 2);
    ck_assert_str_eq(names[0], "1001");
    ck_assert_str_eq(names[1], "1002");  /* auto with '#': a name only */
    free(names);

    /* the id answer has 555 but not 777: 777 falls back to its name */
    size_t order_count = 0;
    sl_order **orders = one_order(ORDER("555", "#2000", ""), &order_count);
    const char *batch[] = { "555", "777" };
    ck_assert_int_eq(sl_order_index_add_id_answer(index, batch, 2, orders, order_count, &err),
                     0);
    ck_assert_int_eq(sl_order_index_ids_to_fetch(index, &ids, &count, &err), 0);
    ck_assert_uint_eq(count, 0);
    ck_assert_ptr_null(ids);
    ck_assert_int_eq(sl_order_index_names_to_fetch(index, &names, &count, &err), 0);
    ck_assert_uint_eq(count, 3);
    ck_assert_str_eq(names[2], "777");
    free(names);

    /* answered names are not listed again */
    orders = one_order(ORDER("10", "#1001", ""), &order_count);
    ck_assert_int_eq(sl_order_index_add_name_answer(index, "1001", orders, order_count, &err),
                     0);
    ck_assert_int_eq(sl_order_index_names_to_fetch(index, &names, &count, &err), 0);
    ck_assert_uint_eq(count, 2);
    ck_assert_str_eq(names[0], "1002");
    free(names);
    ck_assert_uint_eq(sl_order_index_order_count(index), 2);
    rows_clear(rows, 8);
    sl_order_index_free(index);
}
END_TEST

START_TEST(auto_reference_found_by_id_needs_no_name_lookup)
{
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_ref(index, "42", SL_REF_AUTO), 0);
    size_t order_count = 0;
    sl_order **orders = one_order(ORDER("42", "#3000", ""), &order_count);
    const char *batch[] = { "42" };
    ck_assert_int_eq(sl_order_index_add_id_answer(index, batch, 1, orders, order_count, &err),
                     0);
    const char **names = NULL;
    size_t count = 9;
    ck_assert_int_eq(sl_order_index_names_to_fetch(index, &names, &count, &err), 0);
    ck_assert_uint_eq(count, 0);
    sl_order_lookup lookup;
    ck_assert_int_eq(sl_order_index_lookup(index, " 42 ", SL_REF_AUTO, &lookup), 0);
    ck_assert_str_eq(lookup.order->id, "42");
    sl_order_index_free(index);
}
END_TEST

START_TEST(lookups_resolve_or_say_why)
{
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    const char *refs[][2] = { { "#1001", "n" }, { "1002", "n" }, { "#1003", "n" },
                              { "9", "i" },     { "10", "i" },   { "#1004", "a" },
                              { "1004", "a" }, { "1005", "a" } };
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
        ck_assert_int_eq(sl_order_index_add_ref(index, refs[i][0],
                                                refs[i][1][0] == 'n' ? SL_REF_NAME
                                                : refs[i][1][0] == 'i' ? SL_REF_ID
                                                                       : SL_REF_AUTO), 0);
    size_t count = 0;
    /* ids: 9 exists, 10 does not, 1004 is no id, 1005 is no id */
    const char *batch[] = { "9", "10", "1004", "1005" };
    sl_order **orders = one_order(ORDER("9", "#900", ""), &count);
    ck_assert_int_eq(sl_order_index_add_id_answer(index, batch, 4, orders, count, &err), 0);
    /* names: 1001 one order, 1002 two orders, 1003 canceled, 1004 one, 1005 none */
    orders = one_order(ORDER("11", "#1001", ""), &count);
    ck_assert_int_eq(sl_order_index_add_name_answer(index, "1001", orders, count, &err), 0);
    orders = orders_from("[" ORDER("21", "#1002", "") "," ORDER("22", "1002", "") "]", &count);
    ck_assert_int_eq(sl_order_index_add_name_answer(index, "1002", orders, count, &err), 0);
    orders = one_order("{'id':'31','name':'#1003','status':'canceled'}", &count);
    ck_assert_int_eq(sl_order_index_add_name_answer(index, "1003", orders, count, &err), 0);
    orders = one_order(ORDER("41", "#1004", ""), &count);
    ck_assert_int_eq(sl_order_index_add_name_answer(index, "1004", orders, count, &err), 0);
    ck_assert_int_eq(sl_order_index_add_name_answer(index, "1005", NULL, 0, &err), 0);

    sl_order_lookup lookup;
    ck_assert_int_eq(sl_order_index_lookup(index, "1001", SL_REF_NAME, &lookup), 0);
    ck_assert_str_eq(lookup.order->id, "11");
    ck_assert_int_eq(sl_order_index_lookup(index, "# 1001", SL_REF_NAME, &lookup), 0);
    ck_assert_int_eq(sl_order_index_lookup(index, "9", SL_REF_ID, &lookup), 0);
    ck_assert_str_eq(lookup.order->id, "9");

    ck_assert_int_eq(sl_order_index_lookup(index, "10", SL_REF_ID, &lookup), -1);
    ck_assert_int_eq(lookup.status, SL_STATUS_UNMATCHED);
    ck_assert_int_eq(lookup.code, SL_CODE_ORDER_NOT_FOUND);
    ck_assert(contains(lookup.message, "no order with id 10"));

    ck_assert_int_eq(sl_order_index_lookup(index, "#1002", SL_REF_NAME, &lookup), -1);
    ck_assert_int_eq(lookup.code, SL_CODE_ORDER_AMBIGUOUS);
    ck_assert(contains(lookup.message, "2 orders"));
    ck_assert(contains(lookup.message, "id 21"));
    ck_assert(contains(lookup.message, "id 22"));

    ck_assert_int_eq(sl_order_index_lookup(index, "#1003", SL_REF_NAME, &lookup), -1);
    ck_assert_int_eq(lookup.code, SL_CODE_ORDER_CANCELED);
    ck_assert_ptr_nonnull(lookup.order);      /* the row still shows the order id */
    ck_assert_str_eq(lookup.order->id, "31");

    ck_assert_int_eq(sl_order_index_lookup(index, "#1004", SL_REF_AUTO, &lookup), 0);
    ck_assert_str_eq(lookup.order->id, "41");
    ck_assert_int_eq(sl_order_index_lookup(index, "1004", SL_REF_AUTO, &lookup), 0);
    ck_assert_str_eq(lookup.order->id, "41");
    ck_assert_int_eq(sl_order_index_lookup(index, "1005", SL_REF_AUTO, &lookup), -1);
    ck_assert_int_eq(lookup.code, SL_CODE_ORDER_NOT_FOUND);
    ck_assert(contains(lookup.message, "no order with id or name 1005"));
    /* the request id of the answer that found nothing ends the message; ignored on a
     * reference that has its order */
    ck_assert_int_eq(sl_order_index_note_answer_id(index, 1, "#1005", "rid-7"), 0);
    ck_assert_int_eq(sl_order_index_note_answer_id(index, 1, "1001", "rid-8"), 0);
    ck_assert_int_eq(sl_order_index_lookup(index, "1005", SL_REF_NAME, &lookup), -1);
    ck_assert_str_eq(lookup.message, "no order named 1005 (Request-Id: rid-7)");
    ck_assert_int_eq(sl_order_index_lookup(index, "1001", SL_REF_NAME, &lookup), 0);
    ck_assert_int_eq(sl_order_index_lookup(index, "#", SL_REF_NAME, &lookup), -1);
    ck_assert_int_eq(lookup.code, SL_CODE_ORDER_NOT_FOUND);

    /* never registered or never answered: the run was interrupted before */
    ck_assert_int_eq(sl_order_index_lookup(index, "#7777", SL_REF_NAME, &lookup), -1);
    ck_assert_int_eq(lookup.status, SL_STATUS_NOT_ATTEMPTED);
    ck_assert_int_eq(lookup.code, SL_CODE_RUN_STOPPED);
    ck_assert(contains(lookup.message, "was not looked up"));
    ck_assert_ptr_nonnull(sl_order_index_find_id(index, "22"));
    ck_assert_ptr_null(sl_order_index_find_id(index, "23"));
    sl_order_index_free(index);
}
END_TEST

START_TEST(failed_lookups_reach_the_rows)
{
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_ref(index, "5", SL_REF_ID), 0);
    ck_assert_int_eq(sl_order_index_add_ref(index, "6", SL_REF_AUTO), 0);
    ck_assert_int_eq(sl_order_index_add_ref(index, "#1001", SL_REF_NAME), 0);
    const char *batch[] = { "5", "6" };
    ck_assert_int_eq(sl_order_index_fail_ids(index, batch, 2, SL_STATUS_FAILED, SL_CODE_TIMEOUT,
                                             "GET /orders timed out after 5 attempts"), 0);
    ck_assert_int_eq(sl_order_index_fail_name(index, "#1001", SL_STATUS_FAILED,
                                              SL_CODE_SERVER_ERROR, "HTTP 503"), 0);
    /* a failed auto id is no name to look up: it is not known to be absent */
    const char **names = NULL;
    size_t count = 0;
    ck_assert_int_eq(sl_order_index_names_to_fetch(index, &names, &count, &err), 0);
    ck_assert_uint_eq(count, 0);
    sl_order_lookup lookup;
    ck_assert_int_eq(sl_order_index_lookup(index, "5", SL_REF_ID, &lookup), -1);
    ck_assert_int_eq(lookup.status, SL_STATUS_FAILED);
    ck_assert_int_eq(lookup.code, SL_CODE_TIMEOUT);
    ck_assert_str_eq(lookup.message, "GET /orders timed out after 5 attempts");
    ck_assert_int_eq(sl_order_index_lookup(index, "6", SL_REF_AUTO, &lookup), -1);
    ck_assert_int_eq(lookup.code, SL_CODE_TIMEOUT);
    ck_assert_int_eq(sl_order_index_lookup(index, "1001", SL_REF_NAME, &lookup), -1);
    ck_assert_int_eq(lookup.code, SL_CODE_SERVER_ERROR);
    sl_order_index_free(index);
}
END_TEST

START_TEST(answers_from_a_server_ignoring_filters_change_nothing)
{
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_ref(index, "1", SL_REF_ID), 0);
    ck_assert_int_eq(sl_order_index_add_ref(index, "#1001", SL_REF_NAME), 0);
    const char *all = "[" ORDER("1", "#1", "") "," ORDER("2", "#1001", "") ","
                      ORDER("3", "#2002", "") "]";
    size_t count = 0;
    sl_order **orders = orders_from(all, &count);
    const char *batch[] = { "1" };
    ck_assert_int_eq(sl_order_index_add_id_answer(index, batch, 1, orders, count, &err), 0);
    ck_assert_uint_eq(sl_order_index_order_count(index), 1);
    orders = orders_from(all, &count);
    ck_assert_int_eq(sl_order_index_add_name_answer(index, "1001", orders, count, &err), 0);
    ck_assert_uint_eq(sl_order_index_order_count(index), 2);
    sl_order_lookup lookup;
    ck_assert_int_eq(sl_order_index_lookup(index, "#1001", SL_REF_NAME, &lookup), 0);
    ck_assert_str_eq(lookup.order->id, "2");
    /* the same order again, on a second page and by id: still one order, not ambiguous */
    orders = orders_from("[" ORDER("2", "#1001", "") "]", &count);
    ck_assert_int_eq(sl_order_index_add_name_answer(index, "#1001", orders, count, &err), 0);
    ck_assert_int_eq(sl_order_index_lookup(index, "1001", SL_REF_NAME, &lookup), 0);
    ck_assert_uint_eq(sl_order_index_order_count(index), 2);
    sl_order_index_free(index);
}
END_TEST

START_TEST(order_names_match_name_or_number)
{
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_ref(index, "1001", SL_REF_NAME), 0);
    size_t count = 0;
    sl_order **orders = orders_from("[{'id':'8','name':'Store order A','number':'1001'}]",
                                    &count);
    ck_assert_int_eq(sl_order_index_add_name_answer(index, "1001", orders, count, &err), 0);
    sl_order_lookup lookup;
    ck_assert_int_eq(sl_order_index_lookup(index, "#1001", SL_REF_NAME, &lookup), 0);
    ck_assert_str_eq(lookup.order->id, "8");
    sl_order_index_free(index);
}
END_TEST

/* A listing's pages keep the orders of names still to fetch, across pages (a name on two
 * orders stays ambiguous); closing it answers those names; the others stay to fetch. */
START_TEST(listing_answers_the_names_it_holds)
{
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_ref(index, "#1001", SL_REF_NAME), 0);
    ck_assert_int_eq(sl_order_index_add_ref(index, "1002", SL_REF_NAME), 0);
    ck_assert_int_eq(sl_order_index_add_ref(index, "1003", SL_REF_NAME), 0);
    ck_assert_int_eq(sl_order_index_add_ref(index, "1009", SL_REF_NAME), 0);
    size_t count = 0, kept = 0;
    sl_order **orders = orders_from("[" ORDER("11", "#1001", "") "," ORDER("21", "#1002", "")
                                    "," ORDER("77", "#7777", "") "]", &count);
    ck_assert_int_eq(sl_order_index_add_listed(index, orders, count, &kept, &err), 0);
    ck_assert_uint_eq(kept, 2);
    orders = orders_from("[{'id':'22','name':'Other','number':'1002'},"
                         "{'id':'31','name':'#1003','number':'1003'}]", &count);
    ck_assert_int_eq(sl_order_index_add_listed(index, orders, count, &kept, &err), 0);
    ck_assert_uint_eq(kept, 2);
    ck_assert_uint_eq(sl_order_index_close_listing(index), 3);
    const char **names = NULL;
    ck_assert_int_eq(sl_order_index_names_to_fetch(index, &names, &count, &err), 0);
    ck_assert_uint_eq(count, 1);
    ck_assert_str_eq(names[0], "1009");
    free(names);
    /* a later listing page no longer takes answered names */
    orders = one_order(ORDER("12", "#1001", ""), &count);
    ck_assert_int_eq(sl_order_index_add_listed(index, orders, count, &kept, &err), 0);
    ck_assert_uint_eq(kept, 0);
    sl_order_lookup lookup;
    ck_assert_int_eq(sl_order_index_lookup(index, "1001", SL_REF_NAME, &lookup), 0);
    ck_assert_str_eq(lookup.order->id, "11");
    ck_assert_int_eq(sl_order_index_lookup(index, "1003", SL_REF_NAME, &lookup), 0);
    ck_assert_str_eq(lookup.order->id, "31");
    ck_assert_int_eq(sl_order_index_lookup(index, "1002", SL_REF_NAME, &lookup), -1);
    ck_assert_int_eq(lookup.code, SL_CODE_ORDER_AMBIGUOUS);
    sl_order_index_free(index);
}
END_TEST

START_TEST(the_ledger_holds_each_packages_free_quantities)
{
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_ref(index, "7", SL_REF_ID), 0);
    size_t order_count = 0;
    sl_order **orders = one_order(ORDER("7", "#1007", ",'fulfillments':[],"
        "'packages':[{'id':'p1','status':'pending','items':["
        "{'id':'a','sku':'A','quantity':2,'fulfilledQuantity':1},"
        "{'id':'b','sku':'B','quantity':3,'fulfilledQuantity':0}]},"
        "{'id':'p2','status':'pending','items':["
        "{'id':'c','sku':'A','quantity':4,'fulfilledQuantity':5}]}]"), &order_count);
    const char *batch[] = { "7" };
    ck_assert_int_eq(sl_order_index_add_id_answer(index, batch, 1, orders, order_count, &err),
                     0);
    sl_order_index_pack(index);
    sl_order_lookup lookup;
    order_entry *entry = sl_order_index_resolve(index, "7", SL_REF_ID, &lookup);
    ck_assert_ptr_nonnull(entry);
    ck_assert_int_eq(entry->order->packed, 1);
    ck_assert_ptr_eq(sl_order_index_find_id(index, "7"), entry->order);  /* the copy's id */
    ck_assert_ptr_null(entry->ledger);
    ck_assert_int_eq(sl_order_entry_ledger(entry), 0);
    int32_t *ledger = entry->ledger;
    ck_assert_int_eq(sl_order_entry_left(entry, 0)[0], 1);
    ck_assert_int_eq(sl_order_entry_left(entry, 0)[1], 3);
    ck_assert_int_eq(sl_order_entry_left(entry, 1)[0], 0);    /* over-fulfilled: nothing */
    ck_assert_int_eq(sl_order_entry_whole_claimed(entry, 0), 0);
    sl_order_entry_left(entry, 0)[1] = 1;
    sl_order_entry_claim_whole(entry, 1);
    ck_assert_int_eq(sl_order_entry_whole_claimed(entry, 1), 1);
    ck_assert_int_eq(sl_order_entry_whole_claimed(entry, 0), 0);
    ck_assert_int_eq(sl_order_entry_ledger(entry), 0);          /* once: claims stay */
    ck_assert_ptr_eq(entry->ledger, ledger);
    ck_assert_int_eq(sl_order_entry_left(entry, 0)[1], 1);
    ck_assert_int_eq(sl_order_entry_left(entry, 1)[0], 0);
    sl_order_index_free(index);
}
END_TEST

/* ------------------------------------------------------------------ further reads */

START_TEST(predicates_for_further_reads)
{
    /* fresh: nothing shipped, items known */
    sl_order *order = order_from(ORDER("1", "#1", ",'packages':[{'id':'p','status':'pending',"
                                 "'items':[{'id':'li','sku':'A','quantity':2,"
                                 "'fulfilledQuantity':0}]}]"));
    ck_assert_int_eq(sl_order_needs_packages(order), 0);
    ck_assert_int_eq(sl_order_has_shipped(order), 0);
    ck_assert_int_eq(sl_order_needs_fulfillments(order, 0), 0);
    ck_assert_int_eq(sl_order_needs_fulfillments(order, 1), 1);    /* update/cancel row */
    /* a unit fulfilled */
    order->units[0].items[0].fulfilled_quantity = 1;
    ck_assert_int_eq(sl_order_has_shipped(order), 1);
    ck_assert_int_eq(sl_order_needs_fulfillments(order, 0), 1);
    order->fulfillments_known = 1;                                 /* read already */
    ck_assert_int_eq(sl_order_needs_fulfillments(order, 1), 0);
    order->fulfillments_known = 0;
    order->units[0].items[0].fulfilled_quantity = 0;
    /* a package shipped or delivered */
    order->units[0].status = SL_UNIT_STATUS_DELIVERED;
    ck_assert_int_eq(sl_order_has_shipped(order), 1);
    order->units[0].status = SL_UNIT_STATUS_OPEN;
    /* the order says partial */
    order->shipping = SL_ORDER_SHIPPING_PARTIAL;
    ck_assert_int_eq(sl_order_has_shipped(order), 1);
    /* no order status: the items decide */
    order->shipping = SL_ORDER_SHIPPING_UNKNOWN;
    ck_assert_int_eq(sl_order_has_shipped(order), 0);
    sl_order_free(order);

    /* summaries without items: packages must be read; without a status that counts too */
    order = order_from("{'id':'2','status':'paid','packages':[{'id':'p'}]}");
    ck_assert_int_eq(sl_order_needs_packages(order), 1);
    ck_assert_int_eq(sl_order_has_shipped(order), 1);
    sl_order_free(order);
    order = order_from(ORDER("3", "#3", ",'packages':[{'id':'p','status':'pending'}]"));
    ck_assert_int_eq(sl_order_needs_packages(order), 1);
    ck_assert_int_eq(sl_order_has_shipped(order), 0);
    sl_order_free(order);
    /* inline fulfillments are known */
    order = order_from("{'id':'4','fulfillmentStatus':'fulfilled','fulfillments':[]}");
    ck_assert_int_eq(sl_order_has_shipped(order), 1);
    ck_assert_int_eq(sl_order_needs_fulfillments(order, 1), 0);
    sl_order_free(order);
}
END_TEST

#define PACKAGE_PENDING "[{'id':'p1','fulfillmentOrderId':'fo1','status':'pending'," \
    "'items':[{'id':'li1','sku':'A','quantity':1,'fulfilledQuantity':0}]}]"

START_TEST(orders_needing_reads_are_listed_once_in_row_order)
{
    const char *store_sq = "["
        ORDER("1", "#1001", ",'packages':" PACKAGE_PENDING) ","
        "{'id':'2','name':'#1002','status':'paid','fulfillmentStatus':'partial',"
        "'packages':[{'id':'p2','fulfillmentOrderId':'fo2','status':'shipped','items':"
        "[{'id':'li2','quantity':1,'fulfilledQuantity':1}]}],"
        "'allFulfillments':[{'id':'f2','fulfillmentOrderId':'fo2','tracking':{'number':'T2'},"
        "'status':'shipped'}]},"
        ORDER("3", "#1003", ",'packages':" PACKAGE_PENDING
              ",'allFulfillments':[]") ","
        ORDER("4", "#1004", ",'packages':[{'id':'p4','fulfillmentOrderId':'fo4'}],"
              "'fullPackages':[{'id':'p4','fulfillmentOrderId':'fo4','status':'pending',"
              "'items':[{'id':'li4','quantity':1,'fulfilledQuantity':0}]}]") "]";
    sl_row rows[6];
    row_make(&rows[0], 1, "#1001", SL_REF_NAME, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[1], 2, "#1004", SL_REF_NAME, NULL, NULL, 0, "T4", SL_ACTION_SHIP);
    row_make(&rows[2], 3, "#1002", SL_REF_NAME, NULL, NULL, 0, "T2", SL_ACTION_SHIP);
    row_make(&rows[3], 4, "#1003", SL_REF_NAME, NULL, NULL, 0, "T3", SL_ACTION_SHIP);
    row_make(&rows[4], 5, "#1003", SL_REF_NAME, NULL, NULL, 0, "T3", SL_ACTION_CANCEL);
    row_make(&rows[5], 6, "#1002", SL_REF_NAME, NULL, NULL, 0, "T2", SL_ACTION_SHIP);
    fake_store store = { .orders_sq = store_sq };
    sl_order_index *index = sl_order_index_new();
    fake_lookups(&store, index, rows, 6);
    ck_assert_uint_eq(store.name_requests, 4);
    ck_assert_uint_eq(store.id_requests, 0);
    ck_assert_uint_eq(store.package_reads, 1);          /* #1004 */
    ck_assert_uint_eq(store.fulfillment_reads, 2);      /* #1002 shipped, #1003 cancel row */
    /* after the reads nothing more is needed */
    sl_order **needing = NULL;
    size_t count = 9;
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_orders_needing_packages(index, rows, 6, &needing, &count,
                                                            &err), 0);
    ck_assert_uint_eq(count, 0);
    ck_assert_int_eq(sl_order_index_orders_needing_fulfillments(index, rows, 6, &needing,
                                                                &count, &err), 0);
    ck_assert_uint_eq(count, 0);
    sl_order *read = sl_order_index_find_id(index, "4");
    ck_assert_int_eq(read->units[0].items_known, 1);
    ck_assert_uint_eq(sl_order_index_find_id(index, "2")->fulfillment_count, 1);
    rows_clear(rows, 6);
    sl_order_index_free(index);
}
END_TEST

START_TEST(needing_lists_keep_first_row_order)
{
    const char *store_sq = "["
        "{'id':'1','name':'#1','fulfillmentStatus':'fulfilled','packages':[]},"
        "{'id':'2','name':'#2','fulfillmentStatus':'partial','packages':[]},"
        "{'id':'3','name':'#3','fulfillmentStatus':'unfulfilled','packages':[]}]";
    sl_row rows[4];
    row_make(&rows[0], 1, "#2", SL_REF_NAME, NULL, NULL, 0, "T", SL_ACTION_SHIP);
    row_make(&rows[1], 2, "#3", SL_REF_NAME, NULL, NULL, 0, "T", SL_ACTION_SHIP);
    row_make(&rows[2], 3, "#1", SL_REF_NAME, NULL, NULL, 0, "T", SL_ACTION_SHIP);
    row_make(&rows[3], 4, "#2", SL_REF_NAME, NULL, NULL, 0, "T", SL_ACTION_SHIP);
    fake_store store = { .orders_sq = store_sq };
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_rows(index, rows, 4, &err), 0);
    const char **names = NULL;
    size_t count = 0;
    ck_assert_int_eq(sl_order_index_names_to_fetch(index, &names, &count, &err), 0);
    for (size_t n = 0; n < count; n++) {
        size_t order_count = 0;
        sl_order **orders = orders_from(store.orders_sq, &order_count);
        order_count = filter_orders(orders, order_count, keep_name, names[n]);
        ck_assert_int_eq(sl_order_index_add_name_answer(index, names[n], orders, order_count,
                                                        &err), 0);
    }
    free(names);
    sl_order **needing = NULL;
    ck_assert_int_eq(sl_order_index_orders_needing_fulfillments(index, rows, 4, &needing,
                                                                &count, &err), 0);
    ck_assert_uint_eq(count, 2);
    ck_assert_str_eq(needing[0]->id, "2");
    ck_assert_str_eq(needing[1]->id, "1");
    free(needing);
    rows_clear(rows, 4);
    sl_order_index_free(index);
}
END_TEST

/* A fresh import: one lookup per order (or one per 50 ids), no further read. */
START_TEST(fresh_orders_need_no_further_read)
{
    enum { ORDERS = 120, ROWS = 300 };
    size_t cap = ORDERS * 400 + 16, used = 0;
    char *store_sq = malloc(cap);
    used += (size_t)snprintf(store_sq + used, cap - used, "[");
    for (int o = 0; o < ORDERS; o++)
        used += (size_t)snprintf(store_sq + used, cap - used,
            "%s{'id':'%d','name':'#%d','status':'paid','fulfillmentStatus':'unfulfilled',"
            "'packages':[{'id':'p%d','fulfillmentOrderId':'fo%d','status':'pending','items':"
            "[{'id':'a%d','sku':'A','quantity':5,'fulfilledQuantity':0}]}]}",
            o ? "," : "", 9000 + o, 1000 + o, o, o, o);
    snprintf(store_sq + used, cap - used, "]");
    static sl_row rows[ROWS];
    static sl_match matches[ROWS];
    for (int r = 0; r < ROWS; r++) {
        char ref[16];
        snprintf(ref, sizeof(ref), "#%d", 1000 + r % ORDERS);
        row_make(&rows[r], (size_t)r + 1, ref, SL_REF_NAME, NULL, "A", 1, "1ZTRACK",
                 SL_ACTION_SHIP);
    }
    fake_store store = { .orders_sq = store_sq };
    sl_order_index *index = match_against(&store, rows, ROWS, SL_ON_CONFLICT_SKIP, matches);
    ck_assert_uint_eq(store.name_requests, ORDERS);
    ck_assert_uint_eq(store.package_reads + store.fulfillment_reads + store.id_requests, 0);
    for (int r = 0; r < ROWS; r++)
        ck_assert_int_eq(matches[r].op, SL_MATCH_CREATE);
    rows_clear(rows, ROWS);
    sl_order_index_free(index);

    /* the same by id: batches of 50 */
    for (int r = 0; r < ROWS; r++) {
        char ref[16];
        snprintf(ref, sizeof(ref), "%d", 9000 + r % ORDERS);
        row_make(&rows[r], (size_t)r + 1, ref, SL_REF_ID, NULL, "A", 1, "1ZTRACK",
                 SL_ACTION_SHIP);
    }
    fake_store by_id = { .orders_sq = store_sq };
    index = match_against(&by_id, rows, ROWS, SL_ON_CONFLICT_SKIP, matches);
    ck_assert_uint_eq(by_id.id_requests, 3);            /* 50 + 50 + 20 */
    ck_assert_uint_eq(by_id.name_requests + by_id.package_reads + by_id.fulfillment_reads, 0);
    for (int r = 0; r < ROWS; r++)
        ck_assert_int_eq(matches[r].op, SL_MATCH_CREATE);
    rows_clear(rows, ROWS);
    sl_order_index_free(index);
    free(store_sq);
}
END_TEST

static Suite *orders_suite(void)
{
    Suite *suite = suite_create("match_orders");
    TCase *refs = tcase_create("references");
    tcase_add_test(refs, names_normalise);
    tcase_add_test(refs, references_are_distinct_and_listed_once);
    tcase_add_test(refs, auto_reference_found_by_id_needs_no_name_lookup);
    tcase_add_test(refs, lookups_resolve_or_say_why);
    tcase_add_test(refs, failed_lookups_reach_the_rows);
    tcase_add_test(refs, answers_from_a_server_ignoring_filters_change_nothing);
    tcase_add_test(refs, order_names_match_name_or_number);
    suite_add_tcase(suite, refs);
    TCase *reads = tcase_create("reads");
    tcase_add_test(reads, predicates_for_further_reads);
    tcase_add_test(reads, orders_needing_reads_are_listed_once_in_row_order);
    tcase_add_test(reads, needing_lists_keep_first_row_order);
    tcase_add_test(reads, fresh_orders_need_no_further_read);
    tcase_add_test(reads, listing_answers_the_names_it_holds);
    tcase_add_test(reads, the_ledger_holds_each_packages_free_quantities);
    tcase_set_timeout(reads, 30);
    suite_add_tcase(suite, reads);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(orders_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
