/* row.c: life cycle of the canonical row and the helpers stages use to decide its outcome. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/row.h"

void sl_row_init(sl_row *row)
{
    memset(row, 0, sizeof(*row));
    row->notify = -1;
    row->status = SL_STATUS_PENDING;
}

void sl_row_clear(sl_row *row)
{
    char **strings[] = { &row->order_ref, &row->package_ref, &row->line_item_id, &row->sku,
                         &row->quantity_text, &row->carrier, &row->carrier_code,
                         &row->tracking_url, &row->ship_date_text, &row->notify_text,
                         &row->location_id, &row->shipping_method, &row->action_text,
                         &row->order_id, &row->fulfillment_order_id, &row->fulfillment_id,
                         &row->message };
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        free(*strings[i]);
    for (size_t i = 0; i < row->tracking_count; i++)
        free(row->tracking_numbers[i]);
    free(row->tracking_numbers);
    sl_row_init(row);
}

int sl_row_set(char **slot, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = strdup(value)))
        return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

static void append_message(sl_row *row, const char *fmt, va_list ap)
{
    char text[1024];
    vsnprintf(text, sizeof(text), fmt, ap);
    if (!row->message || !row->message[0]) {
        sl_row_set(&row->message, text);
        return;
    }
    size_t old_len = strlen(row->message);
    char *joined = malloc(old_len + 2 + strlen(text) + 1);
    if (!joined)
        return;
    sprintf(joined, "%s; %s", row->message, text);
    free(row->message);
    row->message = joined;
}

void sl_row_fail(sl_row *row, sl_status status, sl_code code, const char *fmt, ...)
{
    if (row->code != SL_CODE_NONE || (row->status != SL_STATUS_PENDING &&
                                      !sl_status_is_success(row->status)))
        return;
    row->status = status;
    row->code = code;
    /* the reason goes first; warnings gathered before it follow */
    char *warnings = row->message;
    row->message = NULL;
    va_list ap;
    va_start(ap, fmt);
    append_message(row, fmt, ap);
    va_end(ap);
    if (warnings && warnings[0]) {
        size_t len = strlen(row->message) + 2 + strlen(warnings) + 1;
        char *joined = malloc(len);
        if (joined) {
            snprintf(joined, len, "%s; %s", row->message, warnings);
            free(row->message);
            row->message = joined;
        }
    }
    free(warnings);
}

void sl_row_warn(sl_row *row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append_message(row, fmt, ap);
    va_end(ap);
}

void sl_row_tracking_joined(const sl_row *row, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < row->tracking_count && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ";" : "",
                                 row->tracking_numbers[i]);
}
