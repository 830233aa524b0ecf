/* export.h: `shipload export`, the packages still waiting to ship (spec §12), in a layout that
 * a template's "export" section describes (man/shipload-template.5).
 *
 * Three parts, one per stage:
 *  - the layout (src/template/export_layout.c): columns and what each holds, parsed from the
 *    template's "export" object; the table of export fields below is its vocabulary;
 *  - the fetch and the selection (src/engine/export_fetch.c, export_select.c): pages of the
 *    platform's order listing read concurrently (decoded by worker threads) and handed on in
 *    a stable order through a bounded reorder window, and the rule that says which unit
 *    items are still to ship;
 *  - the writer (src/report/export_writer.c, export_output.c, export_fields.c): CSV through
 *    libcsv, XML through libxml2's xmlTextWriter, gzip when the name ends in .gz, written under
 *    a temporary name and renamed when complete; the value of each export field.
 * None of them reads the command line; src/cli/export.c joins them. */
#ifndef SHIPLOAD_EXPORT_H
#define SHIPLOAD_EXPORT_H

#include <stddef.h>
#include "shipload/model.h"
#include "shipload/error.h"
#include "shipload/http.h"
#include "shipload/platform.h"

/* ---- the export fields: what a column can hold ---- */

#define SL_EXPORT_FIELD_TABLE(X)                                                  \
    X(SL_EXPORT_ORDER_ID, "order_id", "the order's id")                           \
    X(SL_EXPORT_ORDER_NAME, "order_name", "the order's name, e.g. #1001")         \
    X(SL_EXPORT_ORDER_NUMBER, "order_number", "the order's number, e.g. 1001")    \
    X(SL_EXPORT_ORDER_STATUS, "order_status", "pending, paid, ...")               \
    X(SL_EXPORT_FULFILLMENT_STATUS, "fulfillment_status", "unfulfilled or partial") \
    X(SL_EXPORT_PACKAGE_ID, "package_id", "the package's id")                     \
    X(SL_EXPORT_FULFILLMENT_ORDER_ID, "fulfillment_order_id",                     \
      "the package's fulfillment order id")                                         \
    X(SL_EXPORT_PACKAGE_NUMBER, "package_number", "the package's number, e.g. 1001-1") \
    X(SL_EXPORT_PACKAGE_STATUS, "package_status", "the package's status")         \
    X(SL_EXPORT_LOCATION_ID, "location_id", "the location it ships from")         \
    X(SL_EXPORT_LINE_ITEM_ID, "line_item_id", "the line item's id")               \
    X(SL_EXPORT_SKU, "sku", "the item's SKU")                                     \
    X(SL_EXPORT_ITEM_NAME, "item_name", "the item's name")                        \
    X(SL_EXPORT_QUANTITY, "quantity", "the quantity still to ship")               \
    X(SL_EXPORT_ITEM_QUANTITY, "item_quantity", "the item's quantity in the package") \
    X(SL_EXPORT_FULFILLED_QUANTITY, "fulfilled_quantity", "the quantity already shipped") \
    X(SL_EXPORT_SHIPPING_METHOD, "shipping_method", "the order's shipping method") \
    X(SL_EXPORT_SHIP_NAME, "ship_name", "first and last name of the recipient")  \
    X(SL_EXPORT_SHIP_FIRST_NAME, "ship_first_name", "")                           \
    X(SL_EXPORT_SHIP_LAST_NAME, "ship_last_name", "")                             \
    X(SL_EXPORT_SHIP_COMPANY, "ship_company", "")                                 \
    X(SL_EXPORT_SHIP_ADDRESS1, "ship_address1", "")                               \
    X(SL_EXPORT_SHIP_ADDRESS2, "ship_address2", "")                               \
    X(SL_EXPORT_SHIP_CITY, "ship_city", "")                                       \
    X(SL_EXPORT_SHIP_STATE, "ship_state", "state or province code")               \
    X(SL_EXPORT_SHIP_POSTAL_CODE, "ship_postal_code", "")                         \
    X(SL_EXPORT_SHIP_COUNTRY, "ship_country", "country code")                     \
    X(SL_EXPORT_SHIP_PHONE, "ship_phone", "")                                     \
    X(SL_EXPORT_SHIP_EMAIL, "ship_email", "")

#define SL_EXPORT_FIELD_ENUM(id, name, help) id,
typedef enum sl_export_field {
    SL_EXPORT_FIELD_TABLE(SL_EXPORT_FIELD_ENUM) SL_EXPORT_FIELD_COUNT
} sl_export_field;

const char *sl_export_field_name(sl_export_field field);
int sl_export_field_lookup(const char *name);           /* -1 when unknown */

/* ---- the layout (a template's "export" section) ---- */

typedef enum sl_export_format { SL_EXPORT_FORMAT_CSV = 0, SL_EXPORT_FORMAT_XML } sl_export_format;

typedef struct sl_export_column {
    char *name;                 /* CSV: header; XML: element name, or "@name" for an attribute */
    int field;                  /* an sl_export_field, or -1 for the constant */
    char *constant;             /* when field is -1 ("" for a column left for the 3PL) */
} sl_export_column;

typedef struct sl_export_layout {
    char *name;                 /* the template's name */
    char *path;                 /* the file it came from */
    sl_export_format format;
    /* CSV: one row per package item */
    char delimiter;             /* default ',' */
    int header;                 /* write the header row; default 1 */
    int crlf;                   /* line ends; default 0 (LF) */
    int formula_guard;          /* prefix ' to cells starting with = + - @ tab CR; default 1 */
    sl_export_column *columns;  /* CSV: the row's columns; XML: the package element's */
    size_t column_count;
    /* XML: <root><record ...columns...><item ...item_columns.../>...</record>...</root> */
    char *xml_root;
    char *xml_record;           /* one per package */
    char *xml_item;             /* one per item still to ship */
    sl_export_column *item_columns;
    size_t item_column_count;
} sl_export_layout;

/* Loads the export layout of a template, by name (searched like sl_template_load) or by path.
 * The file may be an import template with an "export" section (it must then load as an import
 * template too) or an export-only template (name, description, format, export). NULL with err
 * naming the file and the key when it has no export section or a bad one. */
sl_export_layout *sl_export_layout_load(const char *name_or_path, sl_error *err);
void sl_export_layout_free(sl_export_layout *layout);

/* ---- selection: what is waiting to ship (spec §12) ---- */

typedef struct sl_export_filter {
    const char *const *order_statuses;    /* NULL: any order status but canceled */
    size_t order_status_count;
    const char *const *package_statuses;  /* NULL: any status but shipped, delivered,
                                             canceled, refunded */
    size_t package_status_count;
    const char *location_id;              /* NULL: every location */
} sl_export_filter;

/* One package item still to ship. */
typedef struct sl_export_line {
    const sl_item *item;        /* the package's item */
    long remaining;             /* quantity - fulfilled quantity, > 0 */
} sl_export_line;

/* 1 when the order's packages may hold something to export. */
int sl_export_order_wanted(const sl_export_filter *filter, const sl_order *order);
/* The package's items still to ship into lines (room for package->item_count); returns how
 * many. 0 for a package the filter leaves out or whose items are unknown. */
size_t sl_export_select_package(const sl_export_filter *filter, const sl_unit *package,
                                sl_export_line *lines);

/* ---- fetch: every order, concurrently, handed on in a stable order ---- */

typedef struct sl_export_fetch_options {
    const sl_platform *platform; /* NULL: sl_platform_default() */
    /* One paged listing (the platform's list_orders) per entry, filtered by shipping state,
     * read one after the other; NULL/0: one unfiltered listing. An order whose own shipping
     * state differs from its listing's filter is passed over, so a server that ignores the
     * filter cannot make an order appear twice (one that does not say is taken as listed). */
    const sl_order_shipping *listings;
    size_t listing_count;
    const char *updated_since;  /* orders updated since; NULL: none */
    int page_limit;             /* orders per page, 1..caps.list_page_max; default: the most */
    int window;                 /* pages read ahead of the one being written, the reorder
                                   buffer's bound; default 4 x in_flight, at least 2 */
    int in_flight;              /* page requests in flight at once; default 8 */
    int decode_threads;         /* threads that decode pages beside the one driving the
                                   requests (a page's JSON costs more CPU than waiting for
                                   it); default 2, at most 8 */
    /* Optional: 0 for an order that will not be exported, so that its packages are not read
     * when its summaries lack items (it is handed on all the same). Gets the fetch's context. */
    int (*order_wanted)(void *context, const sl_order *order);
    /* Optional, polled every few milliseconds: non-zero stops the fetch (SIGINT). */
    int (*stop_requested)(void *context);
} sl_export_fetch_options;

typedef struct sl_export_fetch_stats {
    unsigned long pages;        /* order pages read (including those past the end) */
    unsigned long package_reads; /* reads of an order's units for summaries without items */
    unsigned long orders;       /* orders handed on */
    unsigned long requests;     /* requests completed */
    unsigned long retries;      /* attempts that were retries */
    int auth_failed;            /* the API answered 401 */
} sl_export_fetch_stats;

/* Called for each order in a stable order: listing by listing, page by page, order by order
 * as the API lists them. The order is only valid during the call. Non-zero stops the fetch
 * (err filled by the callee). */
typedef int (*sl_export_order_fn)(void *context, const sl_order *order, sl_error *err);

/* Reads the listings with an HTTP client made from http_options (its tick, if any, is still
 * called) and hands each order on, from the calling thread. Memory: at most `window` pages of
 * orders at once, whatever the store's size. -1 with err filled when a request fails after the
 * client's retries, a body cannot be decoded, the callback fails or the client is stopped. */
int sl_export_fetch(const sl_http_options *http_options, const sl_export_fetch_options *options,
                    sl_export_order_fn on_order, void *context, sl_export_fetch_stats *stats,
                    sl_error *err);

/* ---- the writer ---- */

typedef struct sl_export_writer sl_export_writer;

/* Opens the output: path "-" is standard output (written as it goes); any other path is
 * written to a temporary file in the same directory, gzip-compressed when the name ends in
 * ".gz", and renamed to path by sl_export_writer_finish. */
sl_export_writer *sl_export_writer_new(const sl_export_layout *layout, const char *path,
                                       sl_error *err);
/* Writes a package's lines (CSV: a row each; XML: one record element holding an item element
 * per line). count 0 writes nothing. */
int sl_export_writer_add(sl_export_writer *writer, const sl_order *order,
                         const sl_unit *package, const sl_export_line *lines, size_t count,
                         sl_error *err);
/* Completes the document, flushes and renames into place. */
int sl_export_writer_finish(sl_export_writer *writer, sl_error *err);
/* Frees; an unfinished output's temporary file is removed (nothing under the final name). */
void sl_export_writer_free(sl_export_writer *writer);
size_t sl_export_writer_rows(const sl_export_writer *writer);      /* item lines written */
size_t sl_export_writer_packages(const sl_export_writer *writer);  /* packages written */

/* The value a field has for an item line (a pointer into the order, a static string, or buf
 * for numbers and joined names). Never NULL. */
const char *sl_export_field_value(sl_export_field field, const sl_order *order,
                                  const sl_unit *package, const sl_export_line *line,
                                  char *buf, size_t cap);

#endif
