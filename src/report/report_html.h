/* report_html.h: report.html (private to src/report): one self-contained page a person reads
 * (no network, no external file). Rows are written as they are added, so memory stays flat; the
 * run's summary, totals chart and "needs attention" part are written at the end and shown
 * first (CSS order). */
#ifndef SHIPLOAD_REPORT_HTML_H
#define SHIPLOAD_REPORT_HTML_H

#include "shipload/error.h"
#include "shipload/row.h"
#include "report_about.h"

/* Every row is listed up to this many; past it, only the rows that need attention, up to
 * REPORT_HTML_MAX_ROWS in all (a browser cannot show millions; results.csv has them all). */
#define REPORT_HTML_ALL_ROWS 50000
#define REPORT_HTML_MAX_ROWS 100000

typedef struct report_html report_html;

report_html *sl_report_html_open(const char *dir, sl_error *err);
int sl_report_html_add(report_html *html, const sl_row *row);
/* Writes the rest of the page and renames it into place. */
int sl_report_html_close(report_html *html, const report_about *about, sl_error *err);
/* Frees; an unclosed page's temporary file is removed. NULL is fine. */
void sl_report_html_free(report_html *html);

#endif
