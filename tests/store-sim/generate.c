/* generate.c: builds a deterministic store (see generate.h). Per order: 1-3 packages of 1-4
 * items each (distinct SKUs from a catalog, quantities 1-3), a shipping address, and a fate
 * drawn from the seed: about 3% canceled (packages canceled too), 5% already shipped (every
 * package fulfilled with a UPS number whose check digit is right), 4% partially shipped (the
 * first of several packages), 10% requiring fulfillmentOrderId, 7% payment pending.
 * Ids: order N (N from 100001) has id "8" + N zero-padded to 12 digits, name "#N", packages
 * "pk_N_k" with fulfillmentOrderId "7" + N (8 digits) + k, line items "li_N_j". */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "generate.h"

typedef struct rng {
    uint64_t state;
} rng;

static uint64_t next_u64(rng *r)
{
    uint64_t x = (r->state += 0x9E3779B97F4A7C15ULL);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static long below(rng *r, long n)
{
    return (long)(next_u64(r) % (uint64_t)n);
}

static double unit(rng *r)
{
    return (double)(next_u64(r) >> 11) / 9007199254740992.0;
}

#define COUNT(a) ((long)(sizeof(a) / sizeof((a)[0])))

static const struct { const char *sku, *name; } catalog[] = {
    { "TSHIRT-BLU-M", "Classic T-shirt, blue, M" }, { "TSHIRT-BLU-L", "Classic T-shirt, blue, L" },
    { "TSHIRT-BLK-S", "Classic T-shirt, black, S" }, { "HOODIE-GRY-M", "Pullover hoodie, grey, M" },
    { "HOODIE-GRY-XL", "Pullover hoodie, grey, XL" }, { "MUG-CER-WHT", "Ceramic mug, white" },
    { "MUG-CER-BLK", "Ceramic mug, black" }, { "TOTE-CNV-NAT", "Canvas tote, natural" },
    { "CAP-BSB-NVY", "Baseball cap, navy" }, { "SOCK-CRW-3PK", "Crew socks, 3-pack" },
    { "BOTTLE-STL-750", "Steel bottle, 750 ml" }, { "BULB-LED-E26", "LED bulb, E26, 9 W" },
    { "CABLE-USB-C-2M", "USB-C cable, 2 m" }, { "CHARGER-65W", "USB-C charger, 65 W" },
    { "NOTEBOOK-A5-DOT", "Notebook A5, dotted" }, { "PEN-GEL-BLK-10", "Gel pens, black, 10" },
    { "CANDLE-SOY-LAV", "Soy candle, lavender" }, { "SOAP-OLV-3PK", "Olive soap, 3-pack" },
    { "TOWEL-BTH-WHT", "Bath towel, white" }, { "PILLOW-CVR-GRN", "Pillow cover, green" },
    { "YOGA-MAT-PRP", "Yoga mat, purple" }, { "BAND-RES-SET", "Resistance bands, set" },
    { "PUZZLE-1000", "Jigsaw puzzle, 1000 pieces" }, { "CARDS-PLAY-2PK", "Playing cards, 2-pack" },
};

static const char *const first_names[] = { "Ana", "Marcus", "Li", "Fatima", "John", "Sofia",
                                           "Pierre", "Aiko", "Carlos", "Emma", "Noah", "Priya" };
static const char *const last_names[] = { "Ruiz", "Bell", "Wang", "Khan", "Smith", "Rossi",
                                          "Martin", "Sato", "Lopez", "Brown", "Novak", "Patel" };
static const char *const streets[] = { "Elm Street", "Oak Avenue", "Main Street", "Pine Road",
                                       "Maple Drive", "Cedar Lane", "Lakeview Blvd", "Hill Street" };
static const struct { const char *city, *state, *zip, *area; } cities[] = {
    { "San Antonio", "TX", "78205", "210" }, { "Albany", "NY", "12207", "518" },
    { "Denver", "CO", "80202", "303" }, { "Portland", "OR", "97204", "503" },
    { "Columbus", "OH", "43215", "614" }, { "Madison", "WI", "53703", "608" },
    { "Raleigh", "NC", "27601", "919" }, { "Tucson", "AZ", "85701", "520" },
};
static const char *const methods[] = { "Standard", "Express", "Ground", "Next Day" };

int sim_ups_check_digit(const char *body15)
{
    int sum = 0;
    for (int i = 0; i < 15 && body15[i]; i++) {
        char c = body15[i];
        int value = c >= '0' && c <= '9' ? c - '0' : (c - 63) % 10;
        sum += i % 2 ? value * 2 : value;
    }
    return (10 - sum % 10) % 10;
}

static void ups_number(long order_number, long package, char out[20])
{
    char body[40];
    snprintf(body, sizeof(body), "8W2A47%02ld%07ld", (3 + package) % 100,
             order_number % 10000000);
    body[15] = '\0';
    snprintf(out, 20, "1Z%.15s%d", body, sim_ups_check_digit(body));
}

static void iso_time(long seconds_after_start, char out[32])
{
    /* 2026-11-01T00:00:00Z is 1793491200 */
    time_t when = (time_t)(1793491200L + seconds_after_start);
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *make_address(rng *r)
{
    long city = below(r, COUNT(cities));
    char street[64], phone[32], email[96];
    const char *first = first_names[below(r, COUNT(first_names))];
    const char *last = last_names[below(r, COUNT(last_names))];
    snprintf(street, sizeof(street), "%ld %s", 10 + below(r, 9000), streets[below(r, COUNT(streets))]);
    snprintf(phone, sizeof(phone), "+1 %s 555 %04ld", cities[city].area, below(r, 10000));
    snprintf(email, sizeof(email), "%s.%s%ld@example.com", first, last, below(r, 100));
    for (char *c = email; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return json_pack("{s:s, s:s, s:n, s:s, s:n, s:s, s:{s:s}, s:s, s:{s:s}, s:s, s:s}",
                     "firstName", first, "lastName", last, "company", "address1", street,
                     "address2", "city", cities[city].city, "state", "code", cities[city].state,
                     "postalCode", cities[city].zip, "country", "code", "US", "phone", phone,
                     "email", email);
}

typedef struct order_plan {
    long number;
    char id[32], name[32], created[32];
    int canceled, shipped_all, shipped_first;
} order_plan;

/* A package with its items; order_items collects the order's line items. */
static json_t *make_package(rng *r, const order_plan *plan, long k, long *next_item,
                            long *catalog_at, json_t *order_items, int shipped)
{
    char id[48], foid[32], number[48], item_id[48];
    snprintf(id, sizeof(id), "pk_%ld_%ld", plan->number, k);
    snprintf(foid, sizeof(foid), "7%08ld%ld", plan->number, k);
    snprintf(number, sizeof(number), "%ld-%ld", plan->number, k);
    json_t *items = json_array();
    long item_count = 1 + below(r, 4);
    for (long j = 0; j < item_count; j++) {
        long c = (*catalog_at)++ % COUNT(catalog);
        long quantity = 1 + below(r, 3);
        snprintf(item_id, sizeof(item_id), "li_%ld_%ld", plan->number, (*next_item)++);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I, s:I}", "id", item_id,
                                               "sku", catalog[c].sku, "name", catalog[c].name,
                                               "quantity", (json_int_t)quantity,
                                               "fulfilledQuantity",
                                               (json_int_t)(shipped ? quantity : 0)));
        json_array_append_new(order_items, json_pack("{s:s, s:s, s:I, s:s}", "id", item_id,
                                                     "sku", catalog[c].sku, "quantity",
                                                     (json_int_t)quantity, "name",
                                                     catalog[c].name));
    }
    const char *status = plan->canceled ? "canceled" : shipped ? "shipped" : "pending";
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:o}", "id", id,
                     "fulfillmentOrderId", foid, "orderId", plan->id, "number", number,
                     "locationId", k % 2 ? "loc_1" : "loc_2", "type", "default", "status",
                     "ecartapi", status, "items", items);
}

static json_t *make_fulfillment(const order_plan *plan, json_t *package, long seq)
{
    char id[48], tracking[20], url[96], date[16];
    snprintf(id, sizeof(id), "ful_%ld_%ld", plan->number, seq);
    ups_number(plan->number, seq, tracking);
    snprintf(url, sizeof(url), "https://www.ups.com/track?tracknum=%s", tracking);
    snprintf(date, sizeof(date), "%.10s", plan->created);
    json_t *items = json_array();
    json_t *package_items = json_object_get(package, "items");
    for (size_t i = 0; i < json_array_size(package_items); i++) {
        json_t *item = json_array_get(package_items, i);
        json_array_append_new(items, json_pack("{s:O, s:O}", "id", json_object_get(item, "id"),
                                               "quantity", json_object_get(item, "quantity")));
    }
    return json_pack("{s:s, s:s, s:O, s:O, s:{s:s, s:[s], s:s, s:n, s:s, s:[s]}, s:{s:s}, "
                     "s:o, s:b, s:s, s:{s:s, s:s}}",
                     "id", id, "orderId", plan->id,
                     "fulfillmentOrderId", json_object_get(package, "fulfillmentOrderId"),
                     "packageId", json_object_get(package, "id"),
                     "tracking", "number", tracking, "numbers", tracking, "company", "UPS",
                     "companyId", "url", url, "urls", url,
                     "status", "ecartapi", "shipped", "items", items, "notifyCustomer", 1,
                     "shippingDate", date, "dates", "createdAt", plan->created, "updatedAt",
                     plan->created);
}

static json_t *make_order(rng *r, long index)
{
    order_plan plan = { 0 };
    plan.number = 100001 + index;
    snprintf(plan.id, sizeof(plan.id), "8%012ld", plan.number);
    snprintf(plan.name, sizeof(plan.name), "#%ld", plan.number);
    iso_time(index * 37, plan.created);
    double fate = unit(r);
    plan.canceled = fate < 0.03;
    plan.shipped_all = fate >= 0.03 && fate < 0.08;
    long package_count = 1 + below(r, 3);
    plan.shipped_first = fate >= 0.08 && fate < 0.12 && package_count > 1;
    int requires_foid = unit(r) < 0.10;
    const char *status = plan.canceled ? "canceled" : unit(r) < 0.07 ? "pending" : "paid";
    json_t *address = make_address(r);
    const char *method = methods[below(r, COUNT(methods))];
    json_t *items = json_array(), *packages = json_array(), *fulfillments = json_array();
    long next_item = 1, catalog_at = below(r, COUNT(catalog));
    for (long k = 1; k <= package_count; k++) {
        int shipped = plan.shipped_all || (plan.shipped_first && k == 1);
        json_t *package = make_package(r, &plan, k, &next_item, &catalog_at, items, shipped);
        if (shipped)
            json_array_append_new(fulfillments,
                                  make_fulfillment(&plan, package,
                                                   (long)json_array_size(fulfillments) + 1));
        json_array_append_new(packages, package);
    }
    const char *state = plan.shipped_all ? "fulfilled" : plan.shipped_first ? "partial"
                                                                            : "unfulfilled";
    return json_pack("{s:s, s:s, s:s, s:{s:s}, s:{s:s}, s:o, s:o, s:s, s:s, s:s, s:b, s:o, "
                     "s:o}",
                     "id", plan.id, "number", plan.name + 1, "name", plan.name,
                     "status", "ecartapi", status, "fulfillmentStatus", "ecartapi", state,
                     "items", items, "shippingAddress", address, "shippingMethod", method,
                     "createdAt", plan.created, "updatedAt", plan.created,
                     "requiresFulfillmentOrderId", requires_foid, "packages", packages,
                     "fulfillments", fulfillments);
}

int sim_generate_each(long count, uint64_t seed, int (*each)(json_t *order, void *ctx),
                      void *ctx)
{
    rng r = { seed * 0x2545F4914F6CDD1DULL + 1 };
    for (long i = 0; i < count; i++) {
        json_t *order = make_order(&r, i);
        int result = order ? each(order, ctx) : -1;
        json_decref(order);
        if (result)
            return result;
    }
    return 0;
}

void sim_generate_single_package(json_t *order, const char *package_id, long index)
{
    json_t *items = json_array();
    json_t *packages = json_object_get(order, "packages");
    for (size_t i = 0; i < json_array_size(packages); i++) {
        json_t *package_items = json_object_get(json_array_get(packages, i), "items");
        for (size_t j = 0; j < json_array_size(package_items); j++)
            json_array_append(items, json_array_get(package_items, j));
    }
    json_t *first = json_array_get(items, 0);
    json_int_t quantity = json_integer_value(json_object_get(first, "quantity"));
    json_int_t fulfilled = json_integer_value(json_object_get(first, "fulfilledQuantity"));
    if (index % 17 == 5 && quantity - fulfilled > 1)
        json_object_set_new(first, "refundedQuantity", json_integer(1));
    json_object_set_new(order, "packages",
                        json_pack("[{s:s, s:o}]", "id", package_id, "items", items));
    json_object_set_new(order, "requiresFulfillmentOrderId", json_false());
    json_t *fulfillments = json_object_get(order, "fulfillments");
    for (size_t i = 0; i < json_array_size(fulfillments); i++) {
        json_t *fulfillment = json_array_get(fulfillments, i);
        json_object_del(fulfillment, "fulfillmentOrderId");
        json_object_set_new(fulfillment, "packageId", json_string(package_id));
    }
}

static int append_order(json_t *order, void *orders)
{
    return json_array_append(orders, order) ? -1 : 0;
}

json_t *sim_generate_store(long count, uint64_t seed)
{
    json_t *orders = json_array();
    if (!orders || sim_generate_each(count, seed, append_order, orders)) {
        json_decref(orders);
        return NULL;
    }
    return json_pack("{s:o}", "orders", orders);
}
