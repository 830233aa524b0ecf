/* gunzip.h: inflates one gzip member at a time and checks its trailer (CRC-32 and length).
 * ISA-L's igzip does it where the build found it (SHIPLOAD_HAVE_ISAL: about twice zlib's speed,
 * docs/architecture.md), else zlib; both give the same bytes and the same verdicts. Finding the
 * members of a multi-member file, padding and truncation are the caller's (stream.c). */
#ifndef SHIPLOAD_INPUT_GUNZIP_H
#define SHIPLOAD_INPUT_GUNZIP_H

#include <stddef.h>

typedef struct sl_gunzip sl_gunzip;

typedef enum {
    SL_GUNZIP_MORE,         /* the member goes on: more input, or room for output, wanted */
    SL_GUNZIP_MEMBER_END,   /* the member ended, its trailer checked; input after it unread */
    SL_GUNZIP_CORRUPT,      /* bad data, header or trailer: why says which */
    SL_GUNZIP_NO_MEMORY
} sl_gunzip_status;

/* NULL when out of memory. */
sl_gunzip *sl_gunzip_new(void);
void sl_gunzip_free(sl_gunzip *gunzip);

/* Readies it for the next member (its header comes next in the input). */
void sl_gunzip_start_member(sl_gunzip *gunzip);

/* Inflates from in (in_len bytes) into out (out_cap bytes): *in_used and *out_made say how
 * many bytes it read and wrote. *why (static text) is set when CORRUPT. */
sl_gunzip_status sl_gunzip_run(sl_gunzip *gunzip, const unsigned char *in, size_t in_len,
                               size_t *in_used, unsigned char *out, size_t out_cap,
                               size_t *out_made, const char **why);

/* "isa-l" or "zlib": which inflates. */
const char *sl_gunzip_engine(void);

#endif
