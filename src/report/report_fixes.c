/* report_fixes.c: one table, error code → the fix in plain words. Keyed by the code's name so
 * that a code added elsewhere falls back to a general hint instead of breaking the build. */
#include <stddef.h>
#include <string.h>
#include "report_fixes.h"

static const struct {
    const char *code;
    const char *fix;
} fixes[] = {
    { "already_fulfilled_different_tracking",
      "The package was already shipped with another tracking number. Check which number is "
      "right; run again with --on-conflict=update to replace it." },
    { "ambiguous_date",
      "The date could be read two ways (day/month or month/day). Write it as YYYY-MM-DD or give "
      "--date-format." },
    { "api_rejected",
      "The store refused the fulfillment; its own reason is in the message. Fix what it names "
      "and send the row again from rejects.csv." },
    { "auth_failed",
      "The store did not accept the API token. Renew the token, then run the same file again: "
      "rows already shipped are recognised as duplicates." },
    { "bad_date", "Write the ship date as a real date, e.g. 2026-11-21, or give --date-format." },
    { "bad_encoding",
      "The row has bytes that are not text in the file's encoding. Save the file as UTF-8, or "
      "give --encoding (e.g. windows-1252)." },
    { "bad_quantity", "Write the quantity as a whole number above 0 (or leave it empty for all)." },
    { "bad_tracking_number",
      "The tracking number fails its carrier's check digit: look for a typing error, or check "
      "the carrier." },
    { "bad_value",
      "A value is not one shipload understands (notify: yes/no; action: ship, update or "
      "cancel). Correct it." },
    { "fulfillment_not_found",
      "No fulfillment with this tracking number exists to update or cancel. Check the number." },
    { "interrupted", "The run was stopped before this row was sent. Run the same file again." },
    { "item_not_found",
      "The order has no open item with this SKU. Check the SKU against the order." },
    { "malformed_record",
      "The line has more fields than the header. Look for a stray delimiter or quote." },
    { "missing_order_ref", "Fill in the order number." },
    { "missing_tracking_number", "Fill in the tracking number." },
    { "network_error",
      "The store could not be reached. Run the same file again later; nothing is sent twice." },
    { "order_ambiguous",
      "Several orders have this name. Use the order id instead of the name." },
    { "order_canceled", "The order was canceled in the store. Do not ship it, or reopen it first." },
    { "order_not_found",
      "No order with this number in the store. Check the number, and that it is the right "
      "store." },
    { "order_not_shippable",
      "The store will not ship this order now (unpaid or finished). Settle it in the store "
      "first." },
    { "package_ambiguous",
      "The order has several open packages that could be meant. Add the package id or the "
      "SKU." },
    { "package_not_found", "No such package in the order. Check the package id." },
    { "quantity_exceeds_remaining",
      "More units than the order still has to ship. Check the quantity; a repeated line may "
      "have already shipped them." },
    { "rate_limited", "The store asked shipload to slow down. Run the same file again later." },
    { "run_stopped",
      "Not sent because the run stopped (see the first failure). Fix that, then run again." },
    { "server_error", "The store had an error. Run the same file again later." },
    { "timeout", "The store did not answer in time. Run the same file again later." },
    { "tracking_reused",
      "One tracking number is on orders going to different addresses. Check the number." },
    { "unsupported_by_platform",
      "The store's platform cannot do what the row asks. Do it in the store by hand." },
};

const char *sl_report_fix_for(const char *code_name)
{
    for (size_t i = 0; code_name && i < sizeof(fixes) / sizeof(fixes[0]); i++)
        if (strcmp(fixes[i].code, code_name) == 0)
            return fixes[i].fix;
    return "Read the message on each row, correct the row in rejects.csv and feed it back.";
}
