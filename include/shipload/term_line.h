/* term_line.h: one status line on a terminal (issue 15): drawn in place with "\r" and
 * erase-line, fitted to the terminal's width so that it never wraps and never scrolls. The
 * width is asked (TIOCGWINSZ on stderr) at each draw, so a resize is followed at once. Used
 * by the progress lines of the CLI and the engine; knows nothing of what they count. */
#ifndef SHIPLOAD_TERM_LINE_H
#define SHIPLOAD_TERM_LINE_H

#include <stddef.h>

/* The terminal's width in columns (standard error); 80 when it cannot be told. */
int sl_term_width(void);

/* Draws on stderr the first of `variants` (most detailed first) that fits in the width minus
 * one column, else the last one cut to fit (never inside a UTF-8 sequence), with no newline. */
void sl_term_draw_fitted(const char *const *variants, size_t count);

/* "1:05" or "2:03:10" for a duration (an ETA), into out. */
void sl_format_duration(char *out, size_t cap, double seconds);

#endif
