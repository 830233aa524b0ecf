/* strbuf.c: growable byte buffer (see strbuf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"

static int reserve(sim_strbuf *buf, size_t more)
{
    if (buf->failed)
        return -1;
    if (buf->len + more + 1 <= buf->cap)
        return 0;
    size_t cap = buf->cap ? buf->cap : 256;
    while (cap < buf->len + more + 1)
        cap *= 2;
    char *grown = realloc(buf->data, cap);
    if (!grown) {
        buf->failed = 1;
        return -1;
    }
    buf->data = grown;
    buf->cap = cap;
    return 0;
}

void sim_strbuf_append(sim_strbuf *buf, const char *text, size_t len)
{
    if (reserve(buf, len))
        return;
    memcpy(buf->data + buf->len, text, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
}

void sim_strbuf_puts(sim_strbuf *buf, const char *text)
{
    sim_strbuf_append(buf, text, strlen(text));
}

void sim_strbuf_printf(sim_strbuf *buf, const char *format, ...)
{
    char small[256];
    va_list args;
    va_start(args, format);
    int needed = vsnprintf(small, sizeof(small), format, args);
    va_end(args);
    if (needed < 0) {
        buf->failed = 1;
        return;
    }
    if ((size_t)needed < sizeof(small)) {
        sim_strbuf_append(buf, small, (size_t)needed);
        return;
    }
    if (reserve(buf, (size_t)needed))
        return;
    va_start(args, format);
    vsnprintf(buf->data + buf->len, (size_t)needed + 1, format, args);
    va_end(args);
    buf->len += (size_t)needed;
}

char *sim_strbuf_finish(sim_strbuf *buf, size_t *len)
{
    if (buf->failed || reserve(buf, 0)) {
        free(buf->data);
        buf->data = NULL;
        return NULL;
    }
    char *data = buf->data;
    if (len)
        *len = buf->len;
    buf->data = NULL;
    buf->len = buf->cap = 0;
    return data;
}
