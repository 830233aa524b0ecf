/* tracking_url.c: a row's tracking URL as its readers see it (validate.h). Validation does not
 * store the URL it derives from the carrier's pattern: the row names the carrier in one byte
 * (url_carrier) and the URL is built again from the row's first tracking number whenever a
 * report, the journal, matching or a write reads it. A URL the manifest gave is stored. */
#include <stdlib.h>
#include "shipload/carrier.h"
#include "validate_internal.h"

const char *sl_validate_url_number(const sl_row *row)
{
    for (size_t i = 0; i < row->tracking_count; i++)
        if (!sl_validate_is_blank(row->tracking_numbers[i]))
            return row->tracking_numbers[i];
    return NULL;
}

const char *sl_row_tracking_url(const sl_row *row, sl_row_url *room)
{
    room->spilled = NULL;
    const sl_carrier *carrier = row->url_carrier ? sl_carrier_at(row->url_carrier - 1u) : NULL;
    const char *number = carrier ? sl_validate_url_number(row) : NULL;
    if (!number)
        return sl_row_given_tracking_url(row);
    size_t len = sl_carrier_tracking_url_write(carrier, number, room->text, sizeof(room->text));
    if (len < sizeof(room->text))
        return room->text;
    room->spilled = malloc(len + 1);
    if (room->spilled)
        sl_carrier_tracking_url_write(carrier, number, room->spilled, len + 1);
    return room->spilled;
}

void sl_row_url_free(sl_row_url *room)
{
    free(room->spilled);
    room->spilled = NULL;
}
