/* report_text.c: clean UTF-8 and HTML escaping for results.xlsx and report.html (see
 * report_text.h). Knows nothing of rows or files. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shipload/utf8.h"
#include "report_text.h"

static const char replacement[] = "\xEF\xBF\xBD";   /* U+FFFD */

static int is_bad_control(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

static int is_clean(const char *text, size_t len)
{
    int ascii = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_bad_control(c))
            return 0;
        ascii &= c < 0x80;
    }
    return ascii || sl_utf8_valid(text, len);
}

const char *sl_report_text_clean(const char *text, char **owned)
{
    *owned = NULL;
    if (!text)
        return "";
    size_t len = strlen(text);
    if (is_clean(text, len))
        return text;
    char *clean = malloc(len * 3 + 1);   /* each byte at worst becomes U+FFFD */
    if (!clean)
        return NULL;
    size_t used = 0;
    for (size_t i = 0; i < len;) {
        size_t step = sl_utf8_sequence_length(text + i, len - i);
        if (step == 0 || (step == 1 && is_bad_control((unsigned char)text[i]))) {
            memcpy(clean + used, replacement, 3);
            used += 3;
            i += 1;
            continue;
        }
        memcpy(clean + used, text + i, step);
        used += step;
        i += step;
    }
    clean[used] = '\0';
    *owned = clean;
    return clean;
}

/* The character reference for a byte that HTML gives a meaning to, else NULL. */
static const char *reference_for(char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

int sl_report_html_escape(FILE *fp, const char *text)
{
    char *owned;
    const char *clean = sl_report_text_clean(text, &owned);
    if (!clean)
        return -1;
    int rc = 0;
    const char *run = clean;
    for (const char *at = clean; *at && rc == 0; at++) {
        const char *reference = reference_for(*at);
        if (!reference)
            continue;
        if ((at > run && fwrite(run, 1, (size_t)(at - run), fp) != (size_t)(at - run)) ||
            fputs(reference, fp) == EOF)
            rc = -1;
        run = at + 1;
    }
    if (rc == 0 && *run && fputs(run, fp) == EOF)
        rc = -1;
    free(owned);
    return rc;
}

int sl_report_url_is_linkable(const char *url)
{
    if (!url)
        return 0;
    size_t scheme = strncasecmp(url, "https://", 8) == 0   ? 8
                    : strncasecmp(url, "http://", 7) == 0 ? 7
                                                          : 0;
    if (scheme == 0 || !url[scheme])
        return 0;
    for (const unsigned char *at = (const unsigned char *)url; *at; at++)
        if (*at <= 0x20 || *at == 0x7F)
            return 0;
    return 1;
}
