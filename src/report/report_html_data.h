/* report_html_data.h: the rows of report.html as data (private to src/report): one compact JSON
 * array per row inside the page's <script type="application/json" id="rows-data"> element,
 * which the page's script (report_html_assets.h) turns into table rows a page at a time. The
 * fields of a row, in order, are REPORT_HTML_FIELDS (the script names them the same way). */
#ifndef SHIPLOAD_REPORT_HTML_DATA_H
#define SHIPLOAD_REPORT_HTML_DATA_H

#include <stdio.h>
#include "shipload/row.h"

/* The order of a row's fields; the script's field names (report_html_assets.h) follow it.
 * record, line: numbers; order: the order's name, else its reference; ref: the reference when
 * it differs from the name, else null; item: SKU or line item id, null when the row ships the
 * whole package; quantity: text or null; tracking: [[number, url or null], ...] (a url only
 * when sl_report_url_is_linkable); carrier, date, status; badge: "ok", "bad" or "mid";
 * attention: 1 when the row did not go through; code: the error code or null; message,
 * warning: text or null; notified: yes/no/"" (sl_row_notified_text). */
#define REPORT_HTML_FIELDS                                                                    \
    "record,line,order,ref,item,quantity,tracking,carrier,date,status,badge,attention,code,"  \
    "message,warning,notified"

/* "ok", "bad" or "mid": how a status is coloured in the page. */
const char *sl_report_html_status_class(sl_status status);

/* Writes row as one JSON array (fields above), escaped for a script element: '<', '>' and '&'
 * as \u003c, \u003e, \u0026 and U+2028/U+2029 as \u2028/\u2029, so no value can end the element
 * or open a comment. Text is cleaned first (sl_report_text_clean). Returns -1 on a write or
 * allocation failure. */
int sl_report_html_data_row(FILE *fp, const sl_row *row);

#endif
