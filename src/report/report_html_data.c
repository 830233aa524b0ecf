/* report_html_data.c: one row of report.html as escaped JSON (report_html_data.h). jansson makes
 * the JSON; this file only picks the fields and escapes jansson's text for the inside of a
 * <script> element. It does not write the page around the data (report_html.c) nor render it
 * (the page's script, report_html_assets.h). */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "shipload/validate.h"
#include "report_html_data.h"
#include "report_text.h"

const char *sl_report_html_status_class(sl_status status)
{
    if (status == SL_STATUS_SKIPPED || status == SL_STATUS_DUPLICATE ||
        status == SL_STATUS_NOT_ATTEMPTED)
        return "mid";
    return sl_status_is_success(status) ? "ok" : "bad";
}

/* ---------------------------------------------------------------- fields */

/* Appends text (cleaned) as a string, or null when text is NULL or empty. */
static int add_text(json_t *array, const char *text)
{
    if (!text || !text[0])
        return json_array_append_new(array, json_null());
    char *owned = NULL;
    const char *clean = sl_report_text_clean(text, &owned);
    json_t *string = clean ? json_string(clean) : NULL;
    free(owned);
    return string ? json_array_append_new(array, string) : -1;
}

static int add_number(json_t *array, size_t number)
{
    return json_array_append_new(array, json_integer((json_int_t)number));
}

/* The row's URL (row_url) names its first number; the others get the same page with their
 * number. */
static char *url_for_number(const sl_row *row, const char *row_url, const char *number)
{
    const char *first = row->tracking_count ? row->tracking_numbers[0] : NULL;
    const char *at = row_url && first && first[0] ? strstr(row_url, first) : NULL;
    if (!at)
        return NULL;
    size_t head = (size_t)(at - row_url), first_len = strlen(first);
    size_t len = strlen(row_url) - first_len + strlen(number);
    char *url = malloc(len + 1);
    if (url)
        snprintf(url, len + 1, "%.*s%s%s", (int)head, row_url, number, at + first_len);
    return url;
}

/* [[number, url or null], ...]: a url only where it may be a link. */
static json_t *tracking_json(const sl_row *row)
{
    sl_row_url room;
    const char *row_url = sl_row_tracking_url(row, &room);
    json_t *list = json_array();
    for (size_t i = 0; list && i < row->tracking_count; i++) {
        const char *number = row->tracking_numbers[i] ? row->tracking_numbers[i] : "";
        char *other = i ? url_for_number(row, row_url, number) : NULL;
        const char *url = i ? other : row_url;
        json_t *pair = json_array();
        int failed = !pair || add_text(pair, number) ||
                     add_text(pair, sl_report_url_is_linkable(url) ? url : NULL) ||
                     json_array_append_new(list, pair);
        free(other);
        if (failed) {
            json_decref(list);
            list = NULL;
        }
    }
    sl_row_url_free(&room);
    return list;
}

static json_t *row_json(const sl_row *row)
{
    int named = row->order_name && row->order_name[0];
    int other_ref = named && row->order_ref && strcmp(row->order_name, row->order_ref) != 0;
    const char *item = row->sku && row->sku[0] ? row->sku : sl_row_line_item_id(row);
    const char *quantity_text = sl_row_cols(row)->quantity_text;
    int quantity = quantity_text && quantity_text[0];
    json_t *array = json_array();
    if (!array)
        return NULL;
    if (add_number(array, row->record) || add_number(array, row->line) ||
        add_text(array, named ? row->order_name : row->order_ref) ||
        add_text(array, other_ref ? row->order_ref : NULL) ||
        add_text(array, item && item[0] ? item : quantity ? "all items" : NULL) ||
        add_text(array, quantity_text) ||
        json_array_append_new(array, tracking_json(row)) || add_text(array, row->carrier) ||
        add_text(array, sl_row_ship_date(row)) || add_text(array, sl_status_name(row->status)) ||
        add_text(array, sl_report_html_status_class(row->status)) ||
        add_number(array, !sl_status_is_success(row->status)) ||
        add_text(array, row->code != SL_CODE_NONE ? sl_code_name(row->code) : NULL) ||
        add_text(array, row->message) || add_text(array, sl_row_warning(row)) ||
        add_text(array, sl_row_notified_text(row))) {
        json_decref(array);
        return NULL;
    }
    return array;
}

/* ---------------------------------------------------------------- escaping for <script> */

/* What stands for the character at text (NULL when it stays), and its length in *len. */
static const char *script_escape(const char *text, size_t *len)
{
    static const struct {
        const char *raw, *escaped;
    } table[] = {
        { "<", "\\u003c" }, { ">", "\\u003e" }, { "&", "\\u0026" },
        { "\xE2\x80\xA8", "\\u2028" }, { "\xE2\x80\xA9", "\\u2029" },
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        *len = strlen(table[i].raw);
        if (strncmp(text, table[i].raw, *len) == 0)
            return table[i].escaped;
    }
    return NULL;
}

/* JSON text written so that it cannot end the script element: the characters escaped only
 * occur inside JSON strings, where \uXXXX means the same character. */
static int write_escaped(FILE *fp, const char *json)
{
    const char *run = json;
    for (const char *at = json; *at;) {
        size_t len = 0;
        const char *escaped = strchr("<>&\xE2", *at) ? script_escape(at, &len) : NULL;
        if (!escaped) {
            at++;
            continue;
        }
        size_t plain = (size_t)(at - run);
        if (fwrite(run, 1, plain, fp) != plain || fputs(escaped, fp) == EOF)
            return -1;
        at += len;
        run = at;
    }
    return fputs(run, fp) == EOF ? -1 : 0;
}

int sl_report_html_data_row(FILE *fp, const sl_row *row)
{
    json_t *array = row_json(row);
    char *json = array ? json_dumps(array, JSON_COMPACT) : NULL;
    json_decref(array);
    int rc = json ? write_escaped(fp, json) : -1;
    free(json);
    return rc;
}
