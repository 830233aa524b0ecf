/* report_fixes.h: for each error code, what a person does about it, in plain words (private to
 * src/report; shown by report.html and the spreadsheet's Summary sheet). */
#ifndef SHIPLOAD_REPORT_FIXES_H
#define SHIPLOAD_REPORT_FIXES_H

/* The fix for an error code's name ("bad_date"); a general hint for a code the table lacks. */
const char *sl_report_fix_for(const char *code_name);

#endif
