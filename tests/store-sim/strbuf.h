/* strbuf.h: a growable byte buffer for assembling response bodies from prebuilt JSON pieces.
 * On allocation failure it remembers the failure and sim_strbuf_finish returns NULL. */
#ifndef SIM_STRBUF_H
#define SIM_STRBUF_H

#include <stddef.h>

typedef struct sim_strbuf {
    char *data;
    size_t len, cap;
    int failed;
} sim_strbuf;

void sim_strbuf_append(sim_strbuf *buf, const char *text, size_t len);
void sim_strbuf_puts(sim_strbuf *buf, const char *text);
void sim_strbuf_printf(sim_strbuf *buf, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the NUL-terminated text to the caller (free it); NULL after a failure. */
char *sim_strbuf_finish(sim_strbuf *buf, size_t *len);

#endif
