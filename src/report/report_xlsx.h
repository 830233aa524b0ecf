/* report_xlsx.h: results.xlsx (private to src/report), written with libxlsxwriter in its
 * constant-memory mode: sheets Summary, Results and Rejects. Identifiers, order numbers and
 * tracking numbers are text (no digit lost), dates are dates, every text is a string (a value
 * beginning with = is never a formula). */
#ifndef SHIPLOAD_REPORT_XLSX_H
#define SHIPLOAD_REPORT_XLSX_H

#include "shipload/error.h"
#include "shipload/row.h"
#include "report_about.h"

typedef struct report_xlsx report_xlsx;

report_xlsx *sl_report_xlsx_open(const char *dir, sl_error *err);
int sl_report_xlsx_add(report_xlsx *xlsx, const sl_row *row, sl_error *err);
/* Writes the Summary sheet, closes the workbook and renames it into place. */
int sl_report_xlsx_close(report_xlsx *xlsx, const report_about *about, sl_error *err);
/* Frees; an unclosed workbook's temporary file is removed. NULL is fine. */
void sl_report_xlsx_free(report_xlsx *xlsx);

#endif
