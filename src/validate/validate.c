/* validate.c: judges one mapped row (spec §5, §12). Reports the first defect in the spec's
 * order (encoding, shape, order reference, tracking number, quantity, date, other values,
 * check digit), fills the typed fields, and puts the carrier right: alias → canonical name,
 * inferred when missing (from the shape of every number, or from a carrier code), a warning
 * when a number clearly belongs to another carrier (whose check digit then judges it), a
 * tracking URL from the carrier's pattern (first number) when none was given (the row names
 * the carrier, tracking_url.c builds the URL when read); skipped rows stay skipped unless
 * their encoding or shape is bad. Rows still PENDING afterwards are fine; the caller decides
 * what that means (`valid`, or on to matching). No network, no allocation beyond the strings
 * it sets on the row. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/carrier.h"
#include "validate_internal.h"

static int has_tracking_number(const sl_row *row)
{
    for (size_t i = 0; i < row->tracking_count; i++)
        if (!sl_validate_is_blank(row->tracking_numbers[i]))
            return 1;
    return 0;
}

static const char *action_name(sl_action action)
{
    static const char *const names[] = { [SL_ACTION_SHIP] = "ship", [SL_ACTION_UPDATE] = "update",
                                         [SL_ACTION_CANCEL] = "cancel",
                                         [SL_ACTION_STATUS] = "status" };
    return names[action];
}

/* Order reference and tracking number. Returns -1 once the row failed. */
static int check_required(sl_row *row)
{
    if (sl_validate_is_blank(row->order_ref)) {
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_MISSING_ORDER_REF,
                    "no order reference (order number or order id)");
        return -1;
    }
    if (!has_tracking_number(row)) {
        sl_action action = SL_ACTION_SHIP;
        sl_parse_action(sl_row_cols(row)->action_text, &action);   /* a bad one: reported later */
        if (action == SL_ACTION_SHIP)
            sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_MISSING_TRACKING_NUMBER,
                        "no tracking number");
        else
            sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_MISSING_TRACKING_NUMBER,
                        "no tracking number: a %s row needs one to name the fulfillment",
                        action_name(action));
        return -1;
    }
    for (size_t i = 0; i < row->tracking_count; i++) {
        if (sl_tracking_is_placeholder(row->tracking_numbers[i])) {
            sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_MISSING_TRACKING_NUMBER,
                        "tracking number '%s' is a placeholder, not a tracking number",
                        row->tracking_numbers[i]);
            return -1;
        }
    }
    return 0;
}

/* Quantity, date, then the other values (notify_customer, action). */
static int check_values(sl_row *row, const sl_validate_options *options)
{
    const sl_row_columns *columns = sl_row_cols(row);
    long quantity;      /* at most 1,000,000,000: the row holds it in 32 bits */
    int quantity_bad = sl_parse_quantity(columns->quantity_text, &quantity) != 0;
    row->quantity = (int32_t)quantity;
    if (quantity_bad) {
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_QUANTITY,
                    "quantity '%s' is not a whole number above 0", columns->quantity_text);
        return -1;
    }
    if (sl_validate_ship_date(row, options) != 0)
        return -1;
    int notify = options->default_notify;   /* the row holds it in a byte: parsed here */
    int notify_bad = !sl_validate_is_blank(columns->notify_text) &&
                     sl_parse_bool(columns->notify_text, &notify) != 0;
    row->notify = (signed char)notify;
    if (notify_bad) {
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_VALUE,
                    "notify_customer '%s' is not Y/N, yes/no, true/false or 1/0",
                    columns->notify_text);
        return -1;
    }
    sl_action action = (sl_action)row->action;
    int action_bad = sl_parse_action(columns->action_text, &action) != 0;
    row->action = (unsigned char)action;
    if (action_bad) {
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_VALUE,
                    "action '%s' is not ship, update, cancel or status", columns->action_text);
        return -1;
    }
    return 0;
}

/* Sets the row's carrier name and code to the table's (no copy when they are already). */
static void set_carrier(sl_row *row, const sl_carrier *carrier)
{
    if (!row->carrier || strcmp(row->carrier, carrier->name) != 0)
        sl_row_replace(row, &row->carrier, carrier->name);
    const char *code = sl_row_cols(row)->carrier_code;
    sl_row_columns *columns;
    if ((!code || strcmp(code, carrier->code) != 0) && (columns = sl_row_own_columns(row)))
        sl_row_replace(row, &columns->carrier_code, carrier->code);
}

/* The carrier every tracking number's shape names, or NULL if any number names none or
 * they disagree. */
static const sl_carrier *infer_from_numbers(const sl_row *row)
{
    const sl_carrier *agreed = NULL;
    for (size_t i = 0; i < row->tracking_count; i++) {
        if (sl_validate_is_blank(row->tracking_numbers[i]))
            continue;
        const sl_carrier *carrier = sl_carrier_infer(row->tracking_numbers[i]);
        if (!carrier || (agreed && agreed != carrier))
            return NULL;
        agreed = carrier;
    }
    return agreed;
}

/* Alias → canonical name; a written name the table does not know is kept as first written in
 * the run ("dpd local" after "DPD Local" becomes "DPD Local"). A row with only a carrier code
 * (a SCAC such as UPSN, "fedex") is named by the code. */
static const sl_carrier *normalise_carrier(sl_row *row, sl_validate_run *run)
{
    const char *written = !sl_validate_is_blank(row->carrier) ? row->carrier : sl_row_cols(row)->carrier_code;
    if (sl_validate_is_blank(written))
        return NULL;
    const sl_carrier *carrier = sl_validate_run_find_carrier(run, written);
    if (carrier) {
        set_carrier(row, carrier);
    } else if (run && written == row->carrier) {
        const char *first = sl_validate_run_spelling(run, written);
        if (first != written && strcmp(first, written) != 0)
            sl_row_replace(row, &row->carrier, first);
    }
    return carrier;
}

/* The carrier the shape of a number no format of the row's carrier fits names, if any: a
 * warning when the row wrote another carrier. */
static const sl_carrier *foreign_owner(sl_row *row, const sl_carrier *carrier, int written,
                                       const char *number)
{
    const sl_carrier *owner = sl_carrier_infer(number);
    if (owner && written && owner != carrier)
        sl_row_warn_as(row, SL_WARNING_FOREIGN_TRACKING_NUMBER,
                       "tracking number %s looks like a %s number, not %s", number,
                    owner->name, row->carrier);
    return owner;
}

/* The fix for a number a spreadsheet damaged, said once. */
#define SPREADSHEET_FIX "format the column as text in the spreadsheet and export it as CSV again"

/* Refuses the row (or only warns when not enforced) with the message; -1 once it failed. */
static int refuse_number(sl_row *row, int enforce, const char *message)
{
    if (enforce) {
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_TRACKING_NUMBER, "%s", message);
        return -1;
    }
    sl_row_warn_as(row, SL_WARNING_TRACKING_NOT_VERIFIED, "%s (not verified)", message);
    return 0;
}

/* A number no format of the row's carrier fits (and no other carrier's shape claims): one
 * that lost its leading zeros, or one that fits none of a carrier whose shapes are all known.
 * Without a carrier, a number whose zeros put back give a shape that names one. */
static int check_shape(sl_row *row, const sl_carrier *carrier, const char *number, int enforce)
{
    char fixed[80], message[512];
    const sl_carrier *restored_for = carrier;
    int zeros = carrier ? sl_carrier_lost_zeros(carrier, number, fixed, sizeof(fixed)) : 0;
    for (size_t i = 0; !carrier && !zeros && i < sl_carrier_count(); i++) {
        restored_for = sl_carrier_at(i);
        zeros = sl_carrier_lost_zeros(restored_for, number, fixed, sizeof(fixed));
        if (zeros && sl_carrier_infer(fixed) != restored_for)
            zeros = 0;
    }
    if (zeros) {
        snprintf(message, sizeof(message),
                 "tracking number %s lost its leading zero%s (%s is a %s number): a spreadsheet "
                 "read it as a number; " SPREADSHEET_FIX, number, zeros == 1 ? "" : "s", fixed,
                 restored_for->name);
        return refuse_number(row, enforce, message);
    }
    if (!sl_carrier_misfits(carrier, number))
        return 0;
    snprintf(message, sizeof(message), "tracking number %s does not fit %s's shapes: %s", number,
             carrier->name, carrier->shapes);
    return refuse_number(row, enforce, message);
}

/* A hint for a check-digit failure that a spreadsheet's rounding explains: more than the 15
 * digits a spreadsheet number keeps, ending in zeros. */
static const char *rounding_hint(const char *number)
{
    size_t len = strlen(number), zeros = 0;
    if (len <= 15 || strspn(number, "0123456789") != len)
        return "";
    while (zeros < len && number[len - 1 - zeros] == '0')
        zeros++;
    return zeros >= len - 15 ? "; a spreadsheet may have rounded it to 15 digits: "
                               SPREADSHEET_FIX : "";
}

/* Judges one number by the row's carrier when one of its formats fits, else by the carrier
 * its shape names, else by the row's carrier's shapes. Scientific notation is refused even
 * when verification is off; a shape or check digit that fails is the last defect in the
 * spec's order, or only a warning when verification is off. Returns -1 once the row failed. */
static int check_number(sl_row *row, const sl_carrier *carrier, int written, const char *number,
                        int enforce)
{
    char reason[160];
    if (sl_tracking_is_scientific(number)) {
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_TRACKING_NUMBER,
                    "tracking number %s is in scientific notation: a spreadsheet read it as a "
                    "number and lost its digits; " SPREADSHEET_FIX, number);
        return -1;
    }
    sl_number_verdict verdict = carrier ? sl_carrier_check_number(carrier, number, reason,
                                                                  sizeof(reason))
                                        : SL_NUMBER_UNKNOWN_FORMAT;
    if (verdict == SL_NUMBER_UNKNOWN_FORMAT) {
        const sl_carrier *owner = foreign_owner(row, carrier, written, number);
        if (owner)
            verdict = sl_carrier_check_number(owner, number, reason, sizeof(reason));
        else
            return check_shape(row, carrier, number, enforce);
    }
    if (verdict != SL_NUMBER_BAD_CHECK_DIGIT)
        return 0;
    char message[512];
    snprintf(message, sizeof(message), "tracking number %s fails its check digit: %s%s", number,
             reason, rounding_hint(number));
    return refuse_number(row, enforce, message);
}

/* Builds the URL into the row (its block when it has one: no malloc here and free on the
 * reading thread): for a carrier that is not the table's, which url_carrier cannot name. */
static void store_tracking_url(sl_row *row, const sl_carrier *carrier, const char *number)
{
    char built[256];
    size_t len = sl_carrier_tracking_url_write(carrier, number, built, sizeof(built));
    sl_row_extra *extra = sl_row_own_extra(row);
    char *url = extra ? sl_row_alloc(row, len + 1) : NULL;
    if (!url)
        return;
    if (len < sizeof(built))
        memcpy(url, built, len + 1);
    else
        sl_carrier_tracking_url_write(carrier, number, url, len + 1);
    sl_row_drop(row, &extra->tracking_url);
    extra->tracking_url = url;
}

/* A missing URL comes from the carrier's pattern and the first number: the row only names
 * the carrier (url_carrier); sl_row_tracking_url builds the URL when it is read. */
static void add_tracking_url(sl_row *row, const sl_carrier *carrier)
{
    const char *number = sl_validate_url_number(row);
    if (!sl_validate_is_blank(sl_row_given_tracking_url(row)) || !number)
        return;
    size_t index = sl_carrier_index(carrier);
    if (index >= sl_carrier_count()) {
        store_tracking_url(row, carrier, number);
        return;
    }
    if (row->extra)
        sl_row_drop(row, &row->extra->tracking_url);
    row->url_carrier = (unsigned char)(index + 1);
}

/* Inference, foreign-number warnings, check digits and the tracking URL. */
static void check_carrier(sl_row *row, const sl_carrier *known, const sl_validate_options *options)
{
    const sl_carrier *carrier = known;
    int written = !sl_validate_is_blank(row->carrier);
    if (!written && (carrier = infer_from_numbers(row)) != NULL)
        set_carrier(row, carrier);
    for (size_t i = 0; i < row->tracking_count; i++) {
        const char *number = row->tracking_numbers[i];
        if (sl_validate_is_blank(number))
            continue;
        if (check_number(row, carrier, written, number, options->verify_tracking) != 0)
            return;
    }
    if (carrier && !options->skip_tracking_url)
        add_tracking_url(row, carrier);
}

/* validate (offline): a number already seen on another order is a warning; import decides
 * with the orders' addresses (src/match). Each number is warned about once per row. */
static void note_shared_tracking(sl_row *row, sl_validate_run *run, uint64_t first_hash)
{
    for (size_t i = 0; i < row->tracking_count; i++) {
        const char *other_ref;
        size_t other_record;
        if (sl_validate_is_blank(row->tracking_numbers[i]))
            continue;
        int shared = i == 0 && first_hash
                         ? sl_validate_run_note_prefetched(run, first_hash, row->order_ref,
                                                           row->record, &other_ref,
                                                           &other_record)
                         : sl_validate_run_note_number(run, row->tracking_numbers[i],
                                                       row->order_ref, row->record, &other_ref,
                                                       &other_record);
        if (!shared)
            continue;
        sl_row_warn_as(row, SL_WARNING_TRACKING_REUSED,
                       "tracking number %s is also on order %s (record %zu): import sends it "
                       "only if the orders ship to one address", row->tracking_numbers[i],
                       other_ref, other_record);
    }
}

/* Invalid bytes matter only in a column the template reads: there the row is bad_encoding
 * (naming the column, and --encoding when Windows-1252 would decode a file read as UTF-8);
 * in a column nothing reads they are a warning. -1 once the row failed. */
static int check_encoding(sl_row *row, const sl_validate_options *options)
{
    const char *column = sl_row_encoding_column(row);
    int suggest = options->suggest_encoding && row->encoding_1252_decodes;
    const char *hint = suggest ? "; if the file was saved as Windows-1252 (Excel on Windows), "
                                 "read it with --encoding windows-1252" : "";
    if (row->bad_encoding && column) {
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_ENCODING,
                    "column '%s' has bytes that are not valid in the file's encoding%s", column,
                    hint);
        return -1;
    }
    if (row->bad_encoding) {
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_ENCODING,
                    "the record has bytes that are not valid in its encoding%s", hint);
        return -1;
    }
    if (column)
        sl_row_warn_as(row, SL_WARNING_BAD_ENCODING_UNREAD,
                       "column '%s' has bytes that are not valid in the file's encoding; nothing "
                       "reads it, so the row goes on%s", column, hint);
    return 0;
}

void sl_validate_row(sl_row *row, const sl_validate_options *options)
{
    static const sl_validate_options defaults = { NULL, 0, 1, -1, 0, NULL, 0, NULL, 0, 0, 0 };
    if (!options)
        options = &defaults;
    uint64_t first_hash = 0;   /* the first number's, for its note at the end */
    if (options->warn_shared_tracking && row->tracking_count > 0)
        first_hash = sl_validate_run_prefetch(options->run, row->tracking_numbers[0]);
    if (check_encoding(row, options) != 0)
        return;
    if (row->malformed) {
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_MALFORMED_RECORD,
                    "the record has a different number of fields than the header");
        return;
    }
    const sl_carrier *known = normalise_carrier(row, options->run);
    if (row->status != SL_STATUS_PENDING)
        return;   /* skipped by a template rule (or decided before): nothing more to judge */
    if (check_required(row) != 0 || check_values(row, options) != 0)
        return;
    check_carrier(row, known, options);
    if (options->warn_shared_tracking && row->status == SL_STATUS_PENDING)
        note_shared_tracking(row, options->run, first_hash);
}
