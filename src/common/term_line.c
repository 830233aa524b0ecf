/* term_line.c: the fitted terminal line of term_line.h. Widths are counted in code points (a
 * conservative count for the labels shipload prints); nothing here buffers or remembers. */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "shipload/term_line.h"

int sl_term_width(void)
{
    struct winsize size;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 80;
}

/* Columns a UTF-8 text takes, counting each code point as one (continuation bytes are not). */
static size_t text_columns(const char *text, size_t bytes)
{
    size_t columns = 0;
    for (size_t i = 0; i < bytes; i++)
        columns += ((unsigned char)text[i] & 0xC0) != 0x80;
    return columns;
}

/* The bytes of text that fit in `columns`, never cutting a code point. */
static size_t bytes_fitting(const char *text, size_t columns)
{
    size_t used = 0, i = 0;
    for (; text[i]; i++) {
        if (((unsigned char)text[i] & 0xC0) != 0x80) {
            if (used == columns)
                break;
            used++;
        }
    }
    return i;
}

void sl_term_draw_fitted(const char *const *variants, size_t count)
{
    int width = sl_term_width();
    size_t room = width > 1 ? (size_t)width - 1 : 1;   /* the last column would wrap */
    const char *line = count ? variants[count - 1] : "";
    for (size_t i = 0; i < count; i++)
        if (text_columns(variants[i], strlen(variants[i])) <= room) {
            line = variants[i];
            break;
        }
    fprintf(stderr, "\r\033[K%.*s", (int)bytes_fitting(line, room), line);
    fflush(stderr);
}

void sl_format_duration(char *out, size_t cap, double seconds)
{
    long total = seconds < 0 ? 0 : (long)(seconds + 0.5);
    if (total >= 3600)
        snprintf(out, cap, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
    else
        snprintf(out, cap, "%ld:%02ld", total / 60, total % 60);
}

