/* column_vocab.c: the words header rows use for the canonical fields ("Qty", "Tracking #",
 * "Shipping Carrier", "Date Shipped", ...), one table, so that a column a template leaves
 * unread can be recognised as one that probably matters (a WooCommerce file read as
 * generic-csv must not lose its tracking_provider silently; `qty` must not be ignored while
 * "1 of 2" ships 2). Names are compared by their column key (column_names.c); a key one edit
 * away from a usual name of five letters or more ("quantiy", "carier") counts as a typo.
 * It only recognises: what to do about it is the mapper's and the command's. */
#include <string.h>
#include "template_internal.h"

#define KEY_CAP 128

typedef struct field_words {
    tpl_field_id field;
    const char *suggest;          /* the canonical name suggested */
    const char *const *words;     /* column keys, NULL-terminated */
} field_words;

static const char *const order_words[] = {
    "ordernumber", "orderno", "ordernum", "orderid", "order", "ordername", "orderref",
    "orderreference", "ponumber", "po", NULL };
static const char *const tracking_words[] = {
    "trackingnumber", "trackingnumbers", "tracking", "trackingno", "trackingnum", "trackingcode",
    "trackingid", "trackno", "tracknumber", NULL };
static const char *const carrier_words[] = {
    "carrier", "carriername", "shippingcarrier", "trackingprovider", "provider",
    "shippingprovider", "courier", "shipvia", "carriercode", NULL };
static const char *const quantity_words[] = {
    "quantity", "qty", "qtyshipped", "quantityshipped", "shippedqty", "shippedquantity",
    "units", NULL };
static const char *const sku_words[] = {
    "sku", "itemsku", "productsku", "skucode", "itemnumber", "partnumber", NULL };
static const char *const date_words[] = {
    "shipdate", "dateshipped", "shippeddate", "shipmentdate", "shippingdate", NULL };

static const field_words vocabulary[] = {
    { TPL_FIELD_ORDER_REF, "order_number", order_words },
    { TPL_FIELD_TRACKING_NUMBERS, "tracking_number", tracking_words },
    { TPL_FIELD_CARRIER, "carrier", carrier_words },
    { TPL_FIELD_QUANTITY, "quantity", quantity_words },
    { TPL_FIELD_SKU, "sku", sku_words },
    { TPL_FIELD_SHIP_DATE, "ship_date", date_words },
};

/* 1 when a and b differ by one insertion, deletion, substitution or adjacent swap. */
static int one_edit_apart(const char *a, size_t len_a, const char *b, size_t len_b)
{
    if (len_a > len_b)
        return one_edit_apart(b, len_b, a, len_a);
    if (len_b - len_a > 1)
        return 0;
    size_t i = 0;
    while (i < len_a && a[i] == b[i])
        i++;
    if (i == len_a)
        return len_b - len_a == 1;
    if (len_a == len_b) {
        if (strcmp(a + i + 1, b + i + 1) == 0)
            return 1;   /* one substitution */
        return i + 1 < len_a && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               strcmp(a + i + 2, b + i + 2) == 0;   /* adjacent swap */
    }
    return strcmp(a + i, b + i + 1) == 0;   /* b has one more character */
}

int sl_tpl_column_looks_like(const char *header_name, int *exact, const char **suggest)
{
    char key[KEY_CAP];
    size_t len = sl_tpl_column_key(header_name, key, sizeof(key));
    *exact = 0;
    *suggest = NULL;
    if (len == 0)
        return -1;
    size_t fields = sizeof(vocabulary) / sizeof(vocabulary[0]);
    for (size_t f = 0; f < fields; f++)
        for (const char *const *word = vocabulary[f].words; *word; word++)
            if (strcmp(*word, key) == 0) {
                *exact = 1;
                *suggest = vocabulary[f].suggest;
                return (int)vocabulary[f].field;
            }
    for (size_t f = 0; f < fields; f++)
        for (const char *const *word = vocabulary[f].words; *word; word++) {
            size_t word_len = strlen(*word);
            if (word_len >= 5 && one_edit_apart(key, len, *word, word_len)) {
                *suggest = vocabulary[f].suggest;
                return (int)vocabulary[f].field;
            }
        }
    return -1;
}
