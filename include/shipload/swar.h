/* swar.h: eight bytes at a time in a 64-bit word (SWAR), for the scans that run on every byte
 * of a file (CSV lines, report cells, tracking numbers): each byte is a lane, and a test sets
 * the lane's high bit (SL_SWAR_HIGH_BITS). Loads go through memcpy (any alignment). These
 * tests do not depend on byte order; finding a lane's position (its byte) does. */
#ifndef SHIPLOAD_SWAR_H
#define SHIPLOAD_SWAR_H

#include <stdint.h>
#include <string.h>

#define SL_SWAR_EVERY_BYTE 0x0101010101010101ULL
#define SL_SWAR_HIGH_BITS 0x8080808080808080ULL

/* The eight bytes at p. */
static inline uint64_t sl_swar_load(const void *p)
{
    uint64_t word;
    memcpy(&word, p, sizeof(word));
    return word;
}

/* c in every lane (xor a word with it: the lanes that held c become zero). */
static inline uint64_t sl_swar_repeat(unsigned char c)
{
    return SL_SWAR_EVERY_BYTE * c;
}

/* The high bit of each lane that is zero. A borrow can also set the lanes above a zero one:
 * exact for "is any lane zero" and for the lowest lane set, not for the others. */
static inline uint64_t sl_swar_zero_lanes(uint64_t word)
{
    return (word - SL_SWAR_EVERY_BYTE) & ~word & SL_SWAR_HIGH_BITS;
}

/* Exactly the lanes that are zero (no borrow crosses a lane), as their high bits. */
static inline uint64_t sl_swar_zero_lanes_exact(uint64_t word)
{
    const uint64_t low7 = ~SL_SWAR_HIGH_BITS;
    return ~(((word & low7) + low7) | word | low7);
}

/* The lanes below n (n at most 0x80), as sl_swar_zero_lanes: exact for "is any lane below". */
static inline uint64_t sl_swar_lanes_below(uint64_t word, unsigned char n)
{
    return (word - sl_swar_repeat(n)) & ~word & SL_SWAR_HIGH_BITS;
}

/* The lanes that are not plain ASCII: a byte of 0x80 or more, or NUL (any lane: exact). */
static inline uint64_t sl_swar_not_ascii(uint64_t word)
{
    return (word | sl_swar_zero_lanes(word)) & SL_SWAR_HIGH_BITS;
}

#endif
