/* test_plan_build.c: planning (spec §7): rows into fulfillments (same tracking set: one, items
 * summed; other sets: partials; rows without items: one carrying every number), fulfillments
 * into bulk requests per order with the batch-size edges (1, 50, 51), PUT and cancel requests,
 * first-row order, notify defaults, the encoded bodies, and settling results onto the rows
 * (one kept copy of a fulfillment id shared by its rows). The tables that find groups and
 * orders keep 32 bits of a key's hash: keys whose fragments collide stay apart. */
#include "test_match_util.h"
#include "shipload/plan.h"

#define ITEM(id, sku, quantity, fulfilled) \
    "{'id':'" id "','sku':'" sku "','quantity':" #quantity ",'fulfilledQuantity':" #fulfilled "}"

static const char *const STORE = "["
    "{'id':'1','name':'#1001','fulfillmentStatus':'unfulfilled','packages':["
    " {'id':'p1','fulfillmentOrderId':'fo1','number':'1001-1','status':'pending','items':["
    ITEM("li1", "A", 9, 0) "," ITEM("li2", "B", 9, 0) "]}]},"
    "{'id':'2','name':'#1002','fulfillmentStatus':'unfulfilled','packages':["
    " {'id':'p2','fulfillmentOrderId':'fo2','status':'pending','items':[" ITEM("li3", "A", 9, 0) "]},"
    " {'id':'p3','fulfillmentOrderId':'fo3','status':'pending','items':[" ITEM("li4", "A", 9, 0) "]}]},"
    "{'id':'3','name':'#1003','fulfillmentStatus':'fulfilled','packages':["
    " {'id':'p5','fulfillmentOrderId':'fo5','status':'shipped','items':[" ITEM("li5", "A", 1, 1) "]},"
    " {'id':'p6','fulfillmentOrderId':'fo6','status':'shipped','items':[" ITEM("li6", "A", 1, 1) "]}],"
    " 'allFulfillments':["
    "  {'id':'f5','fulfillmentOrderId':'fo5','tracking':{'number':'T5'},'status':'shipped'},"
    "  {'id':'f6','fulfillmentOrderId':'fo6','tracking':{'number':'T6'},'status':'shipped'}]}"
    "]";

/* Keys whose 32-bit hash fragments collide (plan_build.c folds sl_strmap_hash's 64 bits):
 * the order ids o40378 and o112381, and within order 1 the whole-package group keys of the
 * units fo31650 and fo54371. */
static const char *const COLLIDING = "["
    "{'id':'1','name':'#1','fulfillmentStatus':'unfulfilled','packages':["
    " {'id':'pa','fulfillmentOrderId':'fo31650','status':'pending','items':["
    ITEM("la", "A", 1, 0) "]},"
    " {'id':'pb','fulfillmentOrderId':'fo54371','status':'pending','items':["
    ITEM("lb", "A", 1, 0) "]}]},"
    "{'id':'o40378','name':'#2','fulfillmentStatus':'unfulfilled','packages':["
    " {'id':'pc','fulfillmentOrderId':'foc','status':'pending','items':[" ITEM("lc", "A", 1, 0) "]}]},"
    "{'id':'o112381','name':'#3','fulfillmentStatus':'unfulfilled','packages':["
    " {'id':'pd','fulfillmentOrderId':'fod','status':'pending','items':[" ITEM("ld", "A", 1, 0) "]}]}"
    "]";

#define MAX_ROWS 200

typedef struct run {
    sl_row rows[MAX_ROWS];
    sl_match matches[MAX_ROWS];
    size_t count;
    sl_order_index *index;
    sl_plan *plan;
    const char *store;
} run;

static run *run_new(const char *store)
{
    run *r = calloc(1, sizeof(*r));
    r->store = store;
    return r;
}

static sl_row *add(run *r, const char *order, const char *package, const char *sku,
                   long quantity, const char *tracking, sl_action action)
{
    ck_assert_uint_lt(r->count, MAX_ROWS);
    sl_row *row = &r->rows[r->count];
    row_make(row, r->count + 1, order, SL_REF_NAME, package, sku, quantity, tracking, action);
    r->count++;
    return row;
}

/* Plans on a platform whose creates and updates carry the notification flag as given. */
static void run_plan_notifying(run *r, sl_on_conflict on_conflict, size_t batch,
                               int default_notify, int create_notifies, int update_notifies)
{
    fake_store store = { .orders_sq = r->store };
    r->index = match_against(&store, r->rows, r->count, on_conflict, r->matches);
    sl_plan_options options = { .batch_size = batch, .default_notify = default_notify,
                                .create_notifies = create_notifies,
                                .update_notifies = update_notifies };
    sl_error err = { "" };
    r->plan = sl_plan_build(r->rows, r->matches, r->count, &options, &err);
    ck_assert_ptr_nonnull(r->plan);
}

static void run_plan(run *r, sl_on_conflict on_conflict, size_t batch, int default_notify)
{
    run_plan_notifying(r, on_conflict, batch, default_notify, 1, 1);    /* as Ecart */
}

static void run_free(run *r)
{
    sl_plan_free(r->plan);
    rows_clear(r->rows, r->count);
    sl_order_index_free(r->index);
    free(r);
}

static void assert_rows(const sl_plan *plan, const sl_planned_fulfillment *planned,
                        const size_t *rows, size_t count)
{
    ck_assert_uint_eq(planned->row_count, count);
    for (size_t i = 0; i < count; i++)
        ck_assert_uint_eq(sl_planned_rows(plan, planned)[i], rows[i]);
}

static void assert_tracking(const sl_plan *plan, const sl_planned_fulfillment *planned,
                            const char *joined)
{
    const char *numbers[64];
    ck_assert_uint_le(sl_planned_tracking_room(plan, planned), 64);
    size_t count = sl_planned_tracking(plan, planned, numbers);
    char buf[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < count; i++)
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? ";" : "",
                                 numbers[i]);
    ck_assert_str_eq(buf, joined);
}

/* Every fulfillment sits where its request says, and requests are in first-row order. */
static void assert_layout(const sl_plan *plan)
{
    size_t next = 0, last_first_row = 0;
    for (size_t q = 0; q < sl_plan_request_count(plan); q++) {
        const sl_planned_request *request = sl_plan_request(plan, q);
        ck_assert_uint_eq(request->first, next);
        ck_assert_uint_ge(request->count, 1);
        next += request->count;
        for (size_t e = 0; e < request->count; e++) {
            const sl_planned_fulfillment *planned = sl_plan_fulfillment(plan, request->first + e);
            ck_assert_uint_eq(planned->request, q);
            ck_assert_uint_eq(planned->entry, e);
            ck_assert_str_eq(sl_planned_order_id(plan, planned), request->order_id);
            ck_assert_int_eq(planned->kind, request->kind);
            if (e)
                ck_assert_uint_gt(sl_planned_rows(plan, planned)[0],
                                  sl_planned_rows(plan, sl_plan_fulfillment(
                                      plan, request->first + e - 1))[0]);
        }
        size_t first_row = sl_planned_rows(plan, sl_plan_fulfillment(plan, request->first))[0];
        if (q)
            ck_assert_uint_gt(first_row, last_first_row);
        last_first_row = first_row;
    }
    ck_assert_uint_eq(next, sl_plan_fulfillment_count(plan));
    ck_assert_ptr_null(sl_plan_request(plan, sl_plan_request_count(plan)));
    ck_assert_ptr_null(sl_plan_fulfillment(plan, sl_plan_fulfillment_count(plan)));
}

/* The request the plan's write encoder makes for a planned request on Ecart. */
static sl_platform_request encoded(const sl_plan *plan, size_t request)
{
    sl_platform_request out;
    sl_error err = { "" };
    ck_assert_int_eq(sl_plan_encode_request(plan, sl_platform_default(), request, &out, &err), 0);
    return out;
}

static sl_http_method encoded_method(const sl_plan *plan, size_t request)
{
    sl_platform_request out = encoded(plan, request);
    sl_http_method method = out.method;
    sl_platform_request_clear(&out);
    return method;
}

static const char *encoded_label(const sl_plan *plan, size_t request)
{
    sl_platform_request out = encoded(plan, request);
    const char *label = out.label;      /* static */
    sl_platform_request_clear(&out);
    return label;
}

static char *encoded_path(const sl_plan *plan, size_t request)
{
    sl_platform_request out = encoded(plan, request);
    char *path = out.path;
    out.path = NULL;
    sl_platform_request_clear(&out);
    return path;
}

static json_t *request_json(const sl_plan *plan, size_t request)
{
    sl_platform_request out = encoded(plan, request);
    ck_assert_ptr_nonnull(out.body);
    json_error_t error;
    json_t *json = json_loads(out.body, 0, &error);
    ck_assert_ptr_nonnull(json);
    sl_platform_request_clear(&out);
    return json;
}

/* ------------------------------------------------------------------ grouping */

START_TEST(same_tracking_set_is_one_fulfillment)
{
    run *r = run_new(STORE);
    add(r, "#1001", NULL, "A", 1, "T1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "B", 1, "T1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "A", 2, "t1", SL_ACTION_SHIP);       /* same set, other case */
    add(r, "#1001", NULL, "A", 1, "T2;T3", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "B", 1, "T3;T2;T3", SL_ACTION_SHIP); /* same set, other order */
    add(r, "#1001", NULL, "B", 1, "T2", SL_ACTION_SHIP);       /* another set: a partial */
    run_plan(r, SL_ON_CONFLICT_SKIP, 0, -1);
    assert_layout(r->plan);
    ck_assert_uint_eq(sl_plan_request_count(r->plan), 1);
    ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 3);
    const sl_planned_fulfillment *first = sl_plan_fulfillment(r->plan, 0);
    ck_assert_int_eq(first->kind, SL_PLAN_CREATE);
    ck_assert_str_eq(sl_planned_order_id(r->plan, first), "1");
    ck_assert_str_eq(first->fulfillment_order_id, "fo1");
    assert_rows(r->plan, first, (size_t[]){ 0, 1, 2 }, 3);
    assert_tracking(r->plan, first, "T1");
    ck_assert_uint_eq(first->item_count, 2);
    ck_assert_str_eq(sl_planned_items(r->plan, first)[0].id, "li1");
    ck_assert_int_eq(sl_planned_items(r->plan, first)[0].quantity, 3);          /* 1 + 2 */
    ck_assert_str_eq(sl_planned_items(r->plan, first)[1].id, "li2");
    ck_assert_int_eq(sl_planned_items(r->plan, first)[1].quantity, 1);
    const sl_planned_fulfillment *second = sl_plan_fulfillment(r->plan, 1);
    assert_rows(r->plan, second, (size_t[]){ 3, 4 }, 2);
    assert_tracking(r->plan, second, "T2;T3");
    ck_assert_uint_eq(second->item_count, 2);
    const sl_planned_fulfillment *third = sl_plan_fulfillment(r->plan, 2);
    assert_rows(r->plan, third, (size_t[]){ 5 }, 1);
    assert_tracking(r->plan, third, "T2");
    ck_assert_int_eq(sl_planned_items(r->plan, third)[0].quantity, 1);
    run_free(r);
}
END_TEST

START_TEST(rows_without_items_share_one_fulfillment)
{
    run *r = run_new(STORE);
    add(r, "#1001", NULL, NULL, 0, "T1;T2", SL_ACTION_SHIP);
    add(r, "#1001", NULL, NULL, 0, "T2;T3", SL_ACTION_SHIP);
    add(r, "#1001", "fo1", NULL, 0, "T4", SL_ACTION_SHIP);
    run_plan(r, SL_ON_CONFLICT_SKIP, 0, -1);
    assert_layout(r->plan);
    ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 1);
    const sl_planned_fulfillment *planned = sl_plan_fulfillment(r->plan, 0);
    assert_rows(r->plan, planned, (size_t[]){ 0, 1, 2 }, 3);
    assert_tracking(r->plan, planned, "T1;T2;T3;T4");
    ck_assert_ptr_null(sl_planned_items(r->plan, planned));
    ck_assert_uint_eq(planned->item_count, 0);
    json_t *body = request_json(r->plan, 0);
    json_t *entry = json_array_get(json_object_get(body, "fulfillments"), 0);
    ck_assert_ptr_null(json_object_get(entry, "items"));
    ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(entry, "tracking"),
                                                      "numbers")), 4);
    json_decref(body);
    run_free(r);
}
END_TEST

START_TEST(item_rows_and_whole_rows_stay_apart)
{
    run *r = run_new(STORE);
    add(r, "#1001", NULL, "A", 1, "T1", SL_ACTION_SHIP);       /* a partial first */
    add(r, "#1001", NULL, NULL, 0, "T1", SL_ACTION_SHIP);      /* then all the rest */
    add(r, "#1002", "fo3", NULL, 0, "T1", SL_ACTION_SHIP);     /* other order */
    add(r, "#1002", "fo2", NULL, 0, "T1", SL_ACTION_SHIP);     /* other package, same number */
    run_plan(r, SL_ON_CONFLICT_SKIP, 0, -1);
    assert_layout(r->plan);
    ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 4);
    ck_assert_uint_eq(sl_plan_request_count(r->plan), 2);
    const sl_planned_fulfillment *partial = sl_plan_fulfillment(r->plan, 0);
    const sl_planned_fulfillment *rest = sl_plan_fulfillment(r->plan, 1);
    ck_assert_uint_eq(partial->item_count, 1);
    ck_assert_uint_eq(rest->item_count, 0);
    ck_assert_uint_lt(partial->entry, rest->entry);          /* the bulk ships A first */
    ck_assert_str_eq(sl_plan_fulfillment(r->plan, 2)->fulfillment_order_id, "fo3");
    ck_assert_str_eq(sl_plan_fulfillment(r->plan, 3)->fulfillment_order_id, "fo2");
    ck_assert_uint_eq(sl_plan_request(r->plan, 1)->count, 2);
    run_free(r);
}
END_TEST

/* Two groups of one order whose keys' fragments collide stay two fulfillments, each found
 * again by its later rows; two orders whose ids' fragments collide keep their own requests. */
START_TEST(colliding_hashes_stay_apart)
{
    run *r = run_new(COLLIDING);
    add(r, "#1", "fo31650", NULL, 0, "T1", SL_ACTION_SHIP);
    add(r, "#2", "foc", NULL, 0, "T2", SL_ACTION_SHIP);
    add(r, "#1", "fo54371", NULL, 0, "T3", SL_ACTION_SHIP);
    add(r, "#3", "fod", NULL, 0, "T4", SL_ACTION_SHIP);
    add(r, "#1", "fo31650", NULL, 0, "T5", SL_ACTION_SHIP);
    add(r, "#1", "fo54371", NULL, 0, "T6", SL_ACTION_SHIP);
    add(r, "#3", "fod", NULL, 0, "T7", SL_ACTION_SHIP);
    run_plan(r, SL_ON_CONFLICT_SKIP, 0, -1);
    assert_layout(r->plan);
    ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 4);
    ck_assert_uint_eq(sl_plan_request_count(r->plan), 3);
    const char *const orders[] = { "1", "o40378", "o112381" };
    for (size_t q = 0; q < 3; q++) {
        ck_assert_str_eq(sl_plan_request(r->plan, q)->order_id, orders[q]);
        ck_assert_uint_eq(sl_plan_request(r->plan, q)->sequence, 0);
    }
    ck_assert_str_eq(sl_plan_fulfillment(r->plan, 0)->fulfillment_order_id, "fo31650");
    assert_rows(r->plan, sl_plan_fulfillment(r->plan, 0), (size_t[]){ 0, 4 }, 2);
    assert_tracking(r->plan, sl_plan_fulfillment(r->plan, 0), "T1;T5");
    ck_assert_str_eq(sl_plan_fulfillment(r->plan, 1)->fulfillment_order_id, "fo54371");
    assert_rows(r->plan, sl_plan_fulfillment(r->plan, 1), (size_t[]){ 2, 5 }, 2);
    assert_rows(r->plan, sl_plan_fulfillment(r->plan, 2), (size_t[]){ 1 }, 1);
    assert_rows(r->plan, sl_plan_fulfillment(r->plan, 3), (size_t[]){ 3, 6 }, 2);
    run_free(r);
}
END_TEST

/* Rows and groups are numbered in 32 bits: a plan of UINT32_MAX rows is refused before
 * anything is read, and the taking form frees the matches it was given all the same. */
START_TEST(too_many_rows_are_refused)
{
    sl_error err = { "" };
    ck_assert_ptr_null(sl_plan_build(NULL, NULL, (size_t)UINT32_MAX, NULL, &err));
    ck_assert_msg(strstr(err.message, "too many rows to plan"), "%s", err.message);
    sl_match *matches = calloc(4, sizeof(*matches));
    ck_assert_ptr_null(sl_plan_build_taking(NULL, matches, (size_t)UINT32_MAX, NULL, &err));
}
END_TEST

/* The taking form plans the same, freeing the matches itself. */
START_TEST(build_taking_plans_the_same)
{
    run *r = run_new(STORE);
    add(r, "#1001", NULL, "A", 1, "T1", SL_ACTION_SHIP);
    add(r, "#1002", "fo2", NULL, 0, "T2", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "B", 2, "T1", SL_ACTION_SHIP);
    add(r, "#1002", "fo3", NULL, 0, "T3", SL_ACTION_SHIP);
    run_plan(r, SL_ON_CONFLICT_SKIP, 0, -1);
    sl_match *taken = malloc(r->count * sizeof(*taken));
    memcpy(taken, r->matches, r->count * sizeof(*taken));
    sl_error err = { "" };
    sl_plan_options options = { .create_notifies = 1, .update_notifies = 1 };
    sl_plan *plan = sl_plan_build_taking(r->rows, taken, r->count, &options, &err);
    ck_assert_ptr_nonnull(plan);
    assert_layout(plan);
    ck_assert_uint_eq(sl_plan_fulfillment_count(plan), sl_plan_fulfillment_count(r->plan));
    ck_assert_uint_eq(sl_plan_request_count(plan), sl_plan_request_count(r->plan));
    for (size_t f = 0; f < sl_plan_fulfillment_count(plan); f++) {
        const sl_planned_fulfillment *a = sl_plan_fulfillment(plan, f);
        const sl_planned_fulfillment *b = sl_plan_fulfillment(r->plan, f);
        ck_assert_uint_eq(a->row_count, b->row_count);
        ck_assert_uint_eq(sl_planned_rows(plan, a)[0], sl_planned_rows(r->plan, b)[0]);
        ck_assert_uint_eq(a->item_count, b->item_count);
        ck_assert_uint_eq(a->request, b->request);
        ck_assert_uint_eq(a->entry, b->entry);
    }
    sl_plan_free(plan);
    run_free(r);
}
END_TEST

START_TEST(only_rows_to_send_are_planned)
{
    run *r = run_new(STORE);
    add(r, "#1003", NULL, NULL, 0, "T5", SL_ACTION_SHIP);      /* duplicate */
    add(r, "#9999", NULL, NULL, 0, "T5", SL_ACTION_SHIP);      /* unmatched */
    sl_row *invalid = add(r, "#1001", NULL, NULL, 0, "T9", SL_ACTION_SHIP);
    invalid->status = SL_STATUS_INVALID;
    run_plan(r, SL_ON_CONFLICT_SKIP, 0, -1);
    ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 0);
    ck_assert_uint_eq(sl_plan_request_count(r->plan), 0);
    run_free(r);

    sl_error err = { "" };
    sl_plan *empty = sl_plan_build(NULL, NULL, 0, NULL, &err);
    ck_assert_ptr_nonnull(empty);
    ck_assert_uint_eq(sl_plan_request_count(empty), 0);
    sl_plan_free(empty);
}
END_TEST

/* ------------------------------------------------------------------ batches */

/* Orders #1, #2, #3 with 1, 50 and 51 packages of one item each. */
static char *batch_store(void)
{
    static const int packages[] = { 1, 50, 51 };
    size_t cap = 64 * 1024, used = 0;
    char *store = malloc(cap);
    used += (size_t)snprintf(store + used, cap - used, "[");
    for (int o = 0; o < 3; o++) {
        used += (size_t)snprintf(store + used, cap - used,
                                 "%s{'id':'o%d','name':'#%d','fulfillmentStatus':'unfulfilled',"
                                 "'packages':[", o ? "," : "", o + 1, o + 1);
        for (int p = 0; p < packages[o]; p++)
            used += (size_t)snprintf(store + used, cap - used,
                                     "%s{'id':'p%d-%d','fulfillmentOrderId':'fo%d-%d',"
                                     "'status':'pending','items':[{'id':'li%d-%d','sku':'A',"
                                     "'quantity':1,'fulfilledQuantity':0}]}",
                                     p ? "," : "", o + 1, p, o + 1, p, o + 1, p);
        used += (size_t)snprintf(store + used, cap - used, "]}");
    }
    snprintf(store + used, cap - used, "]");
    ck_assert_uint_lt(used, cap - 8);
    return store;
}

/* Rows for order #3 (51), then #1 (1), then #2 (50): one row per package. */
static run *batch_run(const char *store, size_t batch)
{
    static const int order_of[] = { 3, 1, 2 };
    static const int packages[] = { 0, 1, 50, 51 };
    run *r = run_new(store);
    for (int o = 0; o < 3; o++)
        for (int p = 0; p < packages[order_of[o]]; p++) {
            char ref[8], package[24], tracking[24];
            snprintf(ref, sizeof(ref), "#%d", order_of[o]);
            snprintf(package, sizeof(package), "fo%d-%d", order_of[o], p);
            snprintf(tracking, sizeof(tracking), "T%d-%d", order_of[o], p);
            add(r, ref, package, NULL, 0, tracking, SL_ACTION_SHIP);
        }
    run_plan(r, SL_ON_CONFLICT_SKIP, batch, -1);
    assert_layout(r->plan);
    ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 102);
    return r;
}

START_TEST(batches_of_fifty)
{
    char *store = batch_store();
    size_t batches[] = { 50, 0 };           /* 0: the default */
    for (size_t b = 0; b < 2; b++) {
        run *r = batch_run(store, batches[b]);
        ck_assert_uint_eq(sl_plan_request_count(r->plan), 4);
        const sl_planned_request *q0 = sl_plan_request(r->plan, 0);
        const sl_planned_request *q1 = sl_plan_request(r->plan, 1);
        const sl_planned_request *q2 = sl_plan_request(r->plan, 2);
        const sl_planned_request *q3 = sl_plan_request(r->plan, 3);
        ck_assert_str_eq(q0->order_id, "o3");
        ck_assert_uint_eq(q0->count, 50);
        ck_assert_uint_eq(q0->sequence, 0);
        ck_assert_str_eq(q1->order_id, "o3");     /* the 51st, whose first row is row 50 */
        ck_assert_uint_eq(q1->count, 1);
        ck_assert_uint_eq(q1->sequence, 1);
        ck_assert_str_eq(sl_plan_fulfillment(r->plan, q1->first)->fulfillment_order_id,
                         "fo3-50");
        ck_assert_str_eq(q2->order_id, "o1");
        ck_assert_uint_eq(q2->count, 1);
        ck_assert_uint_eq(q2->sequence, 0);
        ck_assert_str_eq(q3->order_id, "o2");
        ck_assert_uint_eq(q3->count, 50);
        for (size_t q = 0; q < 4; q++) {
            ck_assert_int_eq(sl_plan_request(r->plan, q)->kind, SL_PLAN_CREATE);
            ck_assert_int_eq(encoded_method(r->plan, q), SL_HTTP_POST);
            ck_assert_str_eq(encoded_label(r->plan, q), SL_ECART_LABEL_BULK);
        }
        char *path = encoded_path(r->plan, 3);
        ck_assert_str_eq(path, "/api/v2/orders/o2/packages/fulfillments");
        free(path);
        json_t *body = request_json(r->plan, 0);
        json_t *entries = json_object_get(body, "fulfillments");
        ck_assert_uint_eq(json_array_size(entries), 50);
        json_t *last = json_array_get(entries, 49);
        ck_assert_str_eq(json_string_value(json_object_get(last, "fulfillmentOrderId")),
                         "fo3-49");
        ck_assert_ptr_null(json_object_get(last, "items"));
        json_decref(body);
        run_free(r);
    }
    /* a batch above the platform's maximum is planned as asked (the engine refuses it at
     * start, exit 2) but never encoded: no silent cut */
    run *big = batch_run(store, 100);
    ck_assert_uint_eq(sl_plan_request(big->plan, 0)->count, 51);
    sl_platform_request refused;
    sl_error err = { "" };
    ck_assert_int_eq(sl_plan_encode_request(big->plan, sl_platform_default(), 0, &refused, &err),
                     -1);
    ck_assert_ptr_null(refused.path);
    ck_assert(strstr(err.message, "51") != NULL);
    run_free(big);
    free(store);
}
END_TEST

START_TEST(batches_of_one)
{
    char *store = batch_store();
    run *r = batch_run(store, 1);
    ck_assert_uint_eq(sl_plan_request_count(r->plan), 102);
    for (size_t q = 0; q < 102; q++)
        ck_assert_uint_eq(sl_plan_request(r->plan, q)->count, 1);
    ck_assert_uint_eq(sl_plan_request(r->plan, 50)->sequence, 50);     /* #3's last */
    ck_assert_uint_eq(sl_plan_request(r->plan, 51)->sequence, 0);      /* #1 */
    ck_assert_uint_eq(sl_plan_request(r->plan, 101)->sequence, 49);    /* #2's last */
    run_free(r);
    free(store);
}
END_TEST

/* ------------------------------------------------------------------ updates and cancels */

START_TEST(updates_and_cancels_are_single_requests)
{
    run *r = run_new(STORE);
    add(r, "#1003", NULL, NULL, 0, "T5;T7", SL_ACTION_UPDATE);
    add(r, "#1001", NULL, "A", 1, "T1", SL_ACTION_SHIP);
    add(r, "#1003", NULL, NULL, 0, "T5;T8", SL_ACTION_UPDATE);   /* same fulfillment */
    add(r, "#1003", NULL, NULL, 0, "T6", SL_ACTION_CANCEL);
    add(r, "#1003", "fo6", NULL, 0, "T6", SL_ACTION_CANCEL);     /* same again */
    run_plan(r, SL_ON_CONFLICT_SKIP, 0, -1);
    assert_layout(r->plan);
    ck_assert_uint_eq(sl_plan_request_count(r->plan), 3);
    const sl_planned_request *update = sl_plan_request(r->plan, 0);
    ck_assert_int_eq(update->kind, SL_PLAN_UPDATE);
    ck_assert_uint_eq(update->sequence, 0);
    const sl_planned_fulfillment *put = sl_plan_fulfillment(r->plan, update->first);
    ck_assert_str_eq(sl_planned_fulfillment_id(put), "f5");
    ck_assert_str_eq(put->fulfillment_order_id, "fo5");
    assert_rows(r->plan, put, (size_t[]){ 0, 2 }, 2);
    assert_tracking(r->plan, put, "T5;T7;T8");
    ck_assert_int_eq(encoded_method(r->plan, 0), SL_HTTP_PUT);
    ck_assert_str_eq(encoded_label(r->plan, 0), SL_ECART_LABEL_UPDATE);
    char *path = encoded_path(r->plan, 0);
    ck_assert_str_eq(path, "/api/v2/orders/3/fulfillments/f5");
    free(path);
    json_t *body = request_json(r->plan, 0);
    json_t *fulfillment = json_object_get(body, "fulfillment");
    ck_assert_ptr_nonnull(fulfillment);
    ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(fulfillment, "tracking"),
                                                      "numbers")), 3);
    ck_assert_ptr_null(json_object_get(fulfillment, "items"));
    json_decref(body);

    ck_assert_int_eq(sl_plan_request(r->plan, 1)->kind, SL_PLAN_CREATE);
    const sl_planned_request *cancel = sl_plan_request(r->plan, 2);
    ck_assert_int_eq(cancel->kind, SL_PLAN_CANCEL);
    ck_assert_uint_eq(cancel->sequence, 1);                      /* second request of #1003 */
    assert_rows(r->plan, sl_plan_fulfillment(r->plan, cancel->first), (size_t[]){ 3, 4 }, 2);
    ck_assert_int_eq(encoded_method(r->plan, 2), SL_HTTP_POST);
    ck_assert_str_eq(encoded_label(r->plan, 2), SL_ECART_LABEL_CANCEL);
    path = encoded_path(r->plan, 2);
    ck_assert_str_eq(path, "/api/v2/orders/3/fulfillments/f6/cancel");
    free(path);
    sl_platform_request cancel_request = encoded(r->plan, 2);
    ck_assert_ptr_null(cancel_request.body);
    sl_platform_request_clear(&cancel_request);
    run_free(r);
}
END_TEST

START_TEST(conflict_update_becomes_a_put)
{
    run *r = run_new(STORE);
    add(r, "#1003", "fo5", NULL, 0, "T9", SL_ACTION_SHIP);
    run_plan(r, SL_ON_CONFLICT_UPDATE, 0, -1);
    ck_assert_uint_eq(sl_plan_request_count(r->plan), 1);
    const sl_planned_fulfillment *put = sl_plan_fulfillment(r->plan, 0);
    ck_assert_int_eq(put->kind, SL_PLAN_UPDATE);
    ck_assert_str_eq(sl_planned_fulfillment_id(put), "f5");
    assert_tracking(r->plan, put, "T9");
    ck_assert_int_eq(sl_plan_success_status(put->kind, 0), SL_STATUS_UPDATED);
    run_free(r);
}
END_TEST

/* ------------------------------------------------------------------ bodies and outcomes */

START_TEST(notify_and_body_fields)
{
    int defaults[] = { 0, -1 };
    for (size_t d = 0; d < 2; d++) {
        run *r = run_new(STORE);
        sl_row *told = add(r, "#1001", NULL, "A", 2, "T1", SL_ACTION_SHIP);
        told->notify = 1;
        strcpy(told->ship_date, "2026-11-21");
        sl_row_set(&sl_row_own_extra(told)->tracking_url, "https://ups/T1");
        add(r, "#1001", NULL, "B", 1, "T2", SL_ACTION_SHIP);
        run_plan(r, SL_ON_CONFLICT_SKIP, 0, defaults[d]);
        ck_assert_int_eq(sl_plan_fulfillment(r->plan, 0)->notify, 1);
        ck_assert_int_eq(sl_plan_fulfillment(r->plan, 1)->notify, defaults[d]);
        json_t *body = request_json(r->plan, 0);
        json_t *entries = json_object_get(body, "fulfillments");
        ck_assert_uint_eq(json_array_size(entries), 2);
        json_t *first = json_array_get(entries, 0), *second = json_array_get(entries, 1);
        ck_assert_str_eq(json_string_value(json_object_get(first, "fulfillmentOrderId")), "fo1");
        json_t *tracking = json_object_get(first, "tracking");
        ck_assert_str_eq(json_string_value(json_object_get(tracking, "number")), "T1");
        ck_assert_str_eq(json_string_value(json_object_get(tracking, "company")), "UPS");
        ck_assert_str_eq(json_string_value(json_object_get(tracking, "url")), "https://ups/T1");
        json_t *item = json_array_get(json_object_get(first, "items"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(item, "id")), "li1");
        ck_assert_int_eq(json_integer_value(json_object_get(item, "quantity")), 2);
        ck_assert(json_is_true(json_object_get(first, "notifyCustomer")));
        ck_assert_str_eq(json_string_value(json_object_get(first, "shippingDate")),
                         "2026-11-21");
        if (defaults[d] == 0)
            ck_assert(json_is_false(json_object_get(second, "notifyCustomer")));
        else
            ck_assert_ptr_null(json_object_get(second, "notifyCustomer"));
        ck_assert_ptr_null(json_object_get(second, "shippingDate"));
        json_decref(body);
        run_free(r);
    }
}
END_TEST

/* The notified column says what the request carried: nothing for a cancel, nothing for a
 * create on a platform whose create has no flag (Shoplazza), the flag otherwise. */
START_TEST(notified_says_what_the_request_carries)
{
    for (int create_notifies = 0; create_notifies <= 1; create_notifies++) {
        run *r = run_new(STORE);
        add(r, "#1001", NULL, "A", 1, "T1", SL_ACTION_SHIP)->notify = 1;
        add(r, "#1002", "fo2", NULL, 0, "T3", SL_ACTION_SHIP);
        add(r, "#1003", NULL, NULL, 0, "T5;T7", SL_ACTION_UPDATE)->notify = 1;
        add(r, "#1003", NULL, NULL, 0, "T6", SL_ACTION_CANCEL)->notify = 1;
        run_plan_notifying(r, SL_ON_CONFLICT_SKIP, 0, -1, create_notifies, 1);
        ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 4);
        for (size_t f = 0; f < 4; f++) {
            const sl_planned_fulfillment *planned = sl_plan_fulfillment(r->plan, f);
            sl_row *row = &r->rows[sl_planned_rows(r->plan, planned)[0]];
            int expected = planned->kind == SL_PLAN_CANCEL ? -1
                         : planned->kind == SL_PLAN_UPDATE ? 1
                         : !create_notifies ? -1
                         : row->notify > 0;
            ck_assert_int_eq(planned->notified, expected);
            ck_assert_int_eq(sl_plan_settle(r->plan, f, r->rows,
                                            sl_plan_success_status(planned->kind, 0),
                                            SL_CODE_NONE, NULL, 200, NULL), 0);
            ck_assert_int_eq(row->notified, expected);
            ck_assert_str_eq(sl_row_notified_text(row),
                             expected < 0 ? "" : expected ? "yes" : "no");
        }
        run_free(r);
    }
}
END_TEST

/* Every kind has a name in the journal of writes (a kind without one read out of bounds). */
START_TEST(every_kind_has_a_journal_name)
{
    ck_assert_str_eq(sl_plan_kind_name(SL_PLAN_CREATE), "create");
    ck_assert_str_eq(sl_plan_kind_name(SL_PLAN_UPDATE), "update");
    ck_assert_str_eq(sl_plan_kind_name(SL_PLAN_CANCEL), "cancel");
    ck_assert_str_eq(sl_plan_kind_name(SL_PLAN_STATUS), "status");
    ck_assert_str_eq(sl_plan_kind_name((sl_plan_kind)99), "write");
}
END_TEST

START_TEST(settle_maps_results_to_rows)
{
    run *r = run_new(STORE);
    add(r, "#1001", NULL, "A", 1, "T1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "B", 1, "T1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "B", 1, "T2", SL_ACTION_SHIP);
    run_plan(r, SL_ON_CONFLICT_SKIP, 0, -1);
    ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 2);
    sl_status shipped = sl_plan_success_status(SL_PLAN_CREATE, 0);
    ck_assert_int_eq(shipped, SL_STATUS_SHIPPED);
    ck_assert_int_eq(sl_plan_settle(r->plan, 0, r->rows, shipped, SL_CODE_NONE, "ful_9", 207,
                                    NULL), 0);
    ck_assert_int_eq(sl_plan_settle(r->plan, 1, r->rows, SL_STATUS_REJECTED,
                                    SL_CODE_API_REJECTED, NULL, 207,
                                    "quantityExceedsRemaining: no more B"), 0);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(r->rows[i].status, SL_STATUS_SHIPPED);
        ck_assert_str_eq(r->rows[i].fulfillment_id, "ful_9");
        ck_assert_int_eq(r->rows[i].http_status, 207);
        ck_assert_str_eq(r->rows[i].fulfillment_order_id, "fo1");
    }
    ck_assert_int_eq(r->rows[2].status, SL_STATUS_REJECTED);
    ck_assert_int_eq(r->rows[2].code, SL_CODE_API_REJECTED);
    ck_assert_str_eq(r->rows[2].message, "quantityExceedsRemaining: no more B");
    ck_assert_ptr_null(r->rows[2].fulfillment_id);
    ck_assert_int_eq(sl_plan_success_status(SL_PLAN_CREATE, 1), SL_STATUS_WOULD_SHIP);
    ck_assert_int_eq(sl_plan_success_status(SL_PLAN_UPDATE, 1), SL_STATUS_WOULD_UPDATE);
    ck_assert_int_eq(sl_plan_success_status(SL_PLAN_CANCEL, 1), SL_STATUS_WOULD_CANCEL);
    ck_assert_int_eq(sl_plan_success_status(SL_PLAN_CANCEL, 0), SL_STATUS_CANCELED);
    run_free(r);
}
END_TEST

/* A keeper of settled ids for the test: copies it can free at the end, counted. */
typedef struct id_keeper {
    char *kept[8];
    size_t count;
    int refuse;         /* answer NULL (out of memory) */
} id_keeper;

static char *keep_test_id(const char *fulfillment_id, void *data)
{
    id_keeper *keeper = data;
    if (keeper->refuse || keeper->count == 8)
        return NULL;
    return keeper->kept[keeper->count++] = strdup(fulfillment_id);
}

/* With a keeper, the rows of one planned fulfillment share one kept copy of its id, which
 * clearing the rows never frees; a row set again owns its copy; without a copy kept (out of
 * memory) each row gets its own. */
START_TEST(settle_shares_one_kept_id)
{
    id_keeper keeper = { 0 };
    run *r = run_new(STORE);
    add(r, "#1001", NULL, "A", 1, "T1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "B", 1, "T1", SL_ACTION_SHIP);
    add(r, "#1002", "fo2", NULL, 0, "T2", SL_ACTION_SHIP);
    add(r, "#1002", "fo2", NULL, 0, "T3", SL_ACTION_SHIP);
    fake_store store = { .orders_sq = r->store };
    r->index = match_against(&store, r->rows, r->count, SL_ON_CONFLICT_SKIP, r->matches);
    sl_plan_options options = { .keep_id = keep_test_id, .keep_id_data = &keeper };
    sl_error err = { "" };
    r->plan = sl_plan_build(r->rows, r->matches, r->count, &options, &err);
    ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 2);
    sl_status shipped = SL_STATUS_SHIPPED;
    ck_assert_int_eq(sl_plan_settle(r->plan, 0, r->rows, shipped, SL_CODE_NONE, "ful_1", 200,
                                    NULL), 0);
    ck_assert_uint_eq(keeper.count, 1);
    ck_assert_ptr_eq(r->rows[0].fulfillment_id, keeper.kept[0]);
    ck_assert_ptr_eq(r->rows[1].fulfillment_id, keeper.kept[0]);
    ck_assert(r->rows[0].shared & SL_ROW_SHARED_FULFILLMENT);
    ck_assert_str_eq(r->rows[1].fulfillment_id, "ful_1");
    /* settled again (a read-back): the rows point at the new copy, the old one untouched */
    ck_assert_int_eq(sl_plan_settle(r->plan, 0, r->rows, shipped, SL_CODE_NONE, "ful_1b", 200,
                                    NULL), 0);
    ck_assert_ptr_eq(r->rows[1].fulfillment_id, keeper.kept[1]);
    ck_assert_str_eq(keeper.kept[0], "ful_1");
    /* no id: what the rows hold stays */
    ck_assert_int_eq(sl_plan_settle(r->plan, 0, r->rows, shipped, SL_CODE_NONE, NULL, 200,
                                    NULL), 0);
    ck_assert_ptr_eq(r->rows[0].fulfillment_id, keeper.kept[1]);
    ck_assert_int_eq(sl_row_set_fulfillment_id(&r->rows[0], "own"), 0);
    ck_assert(!(r->rows[0].shared & SL_ROW_SHARED_FULFILLMENT));
    ck_assert_str_eq(r->rows[0].fulfillment_id, "own");
    ck_assert_str_eq(r->rows[1].fulfillment_id, "ful_1b");
    keeper.refuse = 1;
    ck_assert_int_eq(sl_plan_settle(r->plan, 1, r->rows, shipped, SL_CODE_NONE, "ful_2", 200,
                                    NULL), 0);
    ck_assert_ptr_ne(r->rows[2].fulfillment_id, r->rows[3].fulfillment_id);
    ck_assert_str_eq(r->rows[3].fulfillment_id, "ful_2");
    ck_assert(!(r->rows[2].shared & SL_ROW_SHARED_FULFILLMENT));
    run_free(r);        /* frees the rows' own copies only */
    for (size_t k = 0; k < keeper.count; k++)
        free(keeper.kept[k]);
}
END_TEST

static Suite *plan_suite(void)
{
    Suite *suite = suite_create("plan_build");
    TCase *groups = tcase_create("grouping");
    tcase_add_test(groups, same_tracking_set_is_one_fulfillment);
    tcase_add_test(groups, rows_without_items_share_one_fulfillment);
    tcase_add_test(groups, item_rows_and_whole_rows_stay_apart);
    tcase_add_test(groups, only_rows_to_send_are_planned);
    tcase_add_test(groups, colliding_hashes_stay_apart);
    tcase_add_test(groups, too_many_rows_are_refused);
    tcase_add_test(groups, build_taking_plans_the_same);
    suite_add_tcase(suite, groups);
    TCase *batches = tcase_create("batches");
    tcase_add_test(batches, batches_of_fifty);
    tcase_add_test(batches, batches_of_one);
    tcase_set_timeout(batches, 30);
    suite_add_tcase(suite, batches);
    TCase *requests = tcase_create("requests");
    tcase_add_test(requests, updates_and_cancels_are_single_requests);
    tcase_add_test(requests, conflict_update_becomes_a_put);
    tcase_add_test(requests, notify_and_body_fields);
    tcase_add_test(requests, notified_says_what_the_request_carries);
    tcase_add_test(requests, settle_maps_results_to_rows);
    tcase_add_test(requests, settle_shares_one_kept_id);
    tcase_add_test(requests, every_kind_has_a_journal_name);
    suite_add_tcase(suite, requests);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(plan_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
