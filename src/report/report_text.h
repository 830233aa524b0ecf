/* report_text.h: values made safe to show in the reports people read (private to src/report):
 * clean UTF-8 text for the spreadsheet and the web page, and HTML escaping for text and
 * attribute values. One place, unit-tested (tests/unit/test_report_text.c). */
#ifndef SHIPLOAD_REPORT_TEXT_H
#define SHIPLOAD_REPORT_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* text when it is already clean (strict UTF-8, no control characters but tab, LF and CR), else
 * a copy in *owned (caller frees) where invalid bytes and other control characters are U+FFFD.
 * NULL text gives "". Returns NULL only when out of memory. */
const char *sl_report_text_clean(const char *text, char **owned);

/* Writes text HTML-escaped (& < > " ' as character references) so it is safe both between tags
 * and inside a double- or single-quoted attribute. The text is cleaned first (as above).
 * Returns -1 on a write or allocation failure. */
int sl_report_html_escape(FILE *fp, const char *text);

/* 1 when url may be a link's href: http:// or https:// followed by no space or control
 * character (a manifest may hold javascript: or data: URLs; those are shown, never linked). */
int sl_report_url_is_linkable(const char *url);

#endif
