/* run_memory.c: what validation remembers from one row to the next within a run (issue 13, 14):
 * the first spelling of each carrier the table does not know ("DPD Local", "dpd local" and
 * "DPD-LOCAL" are then one carrier in the reports), and, when asked, the order each tracking
 * number was first seen on (a number on rows of different orders is warned about). Rows are
 * validated in input order on one thread; this holds no lock. Memory: one entry per distinct
 * unknown carrier (at most SPELLINGS_MAX), a fixed table of tracking numbers (SEEN_SLOTS), and
 * the carriers and ship dates of recent rows (MEMO_SLOTS each), judged once per text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "shipload/carrier.h"
#include "shipload/validate.h"

#define SPELLINGS_MAX 256

typedef struct spelling {
    char *key;          /* letters and digits, lower case */
    char *written;      /* the first spelling seen */
} spelling;

/* The numbers seen are kept in a fixed direct-mapped table (a slot per hash, a newer number
 * evicting an older one): memory stays flat however long the file, and a number repeated on
 * nearby rows (a spreadsheet's fill-down) is always found; one repeated far away may be
 * missed. The warning is validate's; import checks every row it holds. A slot is split in two
 * arrays: the key every row compares (8 bytes a slot, 512 KiB in all: it mostly stays in a
 * core's cache) and where the number was first seen, read only for a warning.
 * sl_validate_run_prefetch asks for the number's slot early, so that the row's other checks
 * hide the cache miss of a table larger than the cache, and returns the number's hash, which
 * sl_validate_run_note_prefetched then takes as it is. The origin, a cache line written once
 * a row and read only for a warning, is written around the cache (origin_write). */
#define SEEN_SLOTS (1u << 16)
#define REF_CAP 56

/* A slot's key: the number's hash above its low 24 bits (the top bit set, so that a key is
 * never 0, an empty slot; with the 16 bits that pick the slot a number is told apart by 55
 * bits) over the low 24 bits of its order reference's hash (a repeat on another order goes
 * unwarned once in 16 million). */
typedef uint64_t seen_key;
#define SEEN_REF_BITS 24
#define SEEN_REF_MASK ((1ull << SEEN_REF_BITS) - 1)

typedef struct seen_origin {
    uint64_t record;
    char order_ref[REF_CAP];    /* normalised, cut to fit (for the message only) */
} seen_origin;
#define ORIGIN_ALIGN 64
_Static_assert(sizeof(seen_origin) == ORIGIN_ALIGN, "an origin is one cache line");

/* Recent answers that depend only on a cell's text (and on the run's options, which do not
 * change): the carrier a name is, and the date a ship date reads as with its day number. A
 * file repeats both from row to row, so each distinct text is judged once while it keeps
 * coming: a small table per kind, MEMO_WAYS slots for each hash (a new text takes them in
 * turn), fixed memory; an empty text, or one longer than MEMO_TEXT_MAX, is not remembered. */
#define MEMO_SETS 64
#define MEMO_WAYS 2
#define MEMO_SLOTS (MEMO_SETS * MEMO_WAYS)
#define MEMO_TEXT_MAX 24

typedef struct memo_key {
    unsigned char len;          /* 0: an empty slot */
    char text[MEMO_TEXT_MAX];
} memo_key;

typedef struct carrier_memo {
    memo_key key;               /* first: memo_find reads it */
    const sl_carrier *carrier;  /* sl_carrier_find's answer, NULL included */
} carrier_memo;

typedef struct date_memo {
    memo_key key;               /* first */
    char date[11];
    long days;
} date_memo;

struct sl_validate_run {
    spelling spellings[SPELLINGS_MAX];
    size_t spelling_count;
    seen_key *seen;         /* SEEN_SLOTS entries each, allocated on first use */
    seen_origin *origins;
    carrier_memo carriers[MEMO_SLOTS];
    date_memo dates[MEMO_SLOTS];
    unsigned char carrier_turn[MEMO_SETS], date_turn[MEMO_SETS];   /* the way a new text takes */
};

sl_validate_run *sl_validate_run_new(void)
{
    return calloc(1, sizeof(sl_validate_run));
}

void sl_validate_run_free(sl_validate_run *run)
{
    if (!run)
        return;
    for (size_t i = 0; i < run->spelling_count; i++) {
        free(run->spellings[i].key);
        free(run->spellings[i].written);
    }
    free(run->seen);
    free(run->origins);
    free(run);
}

/* ---------------------------------------------------------------- recent answers */

/* text's set (its first slot; its length in *len), or MEMO_SLOTS when it is not to be
 * remembered. */
static size_t memo_set_of(const char *text, size_t *len)
{
    uint32_t hash = 2166136261u;   /* FNV-1a */
    size_t n = 0;
    for (; text[n]; n++) {
        if (n == MEMO_TEXT_MAX)
            return MEMO_SLOTS;
        hash = (hash ^ (unsigned char)text[n]) * 16777619u;
    }
    *len = n;
    return n ? ((hash ^ (hash >> 16)) & (MEMO_SETS - 1)) * MEMO_WAYS : MEMO_SLOTS;
}

static int memo_holds(const memo_key *key, const char *text, size_t len)
{
    return key->len == len && memcmp(key->text, text, len) == 0;
}

/* The way of the set (its first slot) that holds text, or MEMO_WAYS. The table's entries are
 * stride bytes each, their key first. */
static size_t memo_find(const void *table, size_t stride, size_t first, const char *text,
                        size_t len)
{
    for (size_t way = 0; way < MEMO_WAYS; way++) {
        const memo_key *key = (const memo_key *)((const char *)table + (first + way) * stride);
        if (memo_holds(key, text, len))
            return way;
    }
    return MEMO_WAYS;
}

/* The slot a new text takes in the set (its first slot), in turn. */
static size_t memo_take(unsigned char *turns, size_t first)
{
    unsigned char *turn = &turns[first / MEMO_WAYS];
    size_t way = *turn;
    *turn = (unsigned char)((way + 1) % MEMO_WAYS);
    return first + way;
}

static void memo_set(memo_key *key, const char *text, size_t len)
{
    memcpy(key->text, text, len);
    key->len = (unsigned char)len;
}

const sl_carrier *sl_validate_run_find_carrier(sl_validate_run *run, const char *name)
{
    size_t len = 0;
    size_t first = run && name ? memo_set_of(name, &len) : MEMO_SLOTS;
    if (first == MEMO_SLOTS)
        return sl_carrier_find(name);
    size_t way = memo_find(run->carriers, sizeof(run->carriers[0]), first, name, len);
    if (way < MEMO_WAYS)
        return run->carriers[first + way].carrier;
    carrier_memo *memo = &run->carriers[memo_take(run->carrier_turn, first)];
    memo->carrier = sl_carrier_find(name);
    memo_set(&memo->key, name, len);
    return memo->carrier;
}

int sl_validate_run_recall_date(const sl_validate_run *run, const char *text, char date[11],
                                long *days)
{
    size_t len = 0;
    size_t first = run && text ? memo_set_of(text, &len) : MEMO_SLOTS;
    size_t way = first == MEMO_SLOTS
                     ? MEMO_WAYS
                     : memo_find(run->dates, sizeof(run->dates[0]), first, text, len);
    if (way == MEMO_WAYS)
        return 0;
    const date_memo *memo = &run->dates[first + way];
    memcpy(date, memo->date, sizeof(memo->date));
    *days = memo->days;
    return 1;
}

void sl_validate_run_keep_date(sl_validate_run *run, const char *text, const char date[11],
                               long days)
{
    size_t len = 0;
    size_t first = run && text ? memo_set_of(text, &len) : MEMO_SLOTS;
    if (first == MEMO_SLOTS ||
        memo_find(run->dates, sizeof(run->dates[0]), first, text, len) < MEMO_WAYS)
        return;
    date_memo *memo = &run->dates[memo_take(run->date_turn, first)];
    memcpy(memo->date, date, sizeof(memo->date));
    memo->days = days;
    memo_set(&memo->key, text, len);
}

/* ---------------------------------------------------------------- spellings */

static char *fold_key(const char *text)
{
    char *key = malloc(strlen(text) + 1);
    if (!key)
        return NULL;
    size_t used = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || *s >= 0x80)
            key[used++] = (char)*s;
        else if (*s >= 'A' && *s <= 'Z')
            key[used++] = (char)(*s - 'A' + 'a');
    }
    key[used] = '\0';
    return key;
}

const char *sl_validate_run_spelling(sl_validate_run *run, const char *written)
{
    if (!run || !written)
        return written;
    char *key = fold_key(written);
    if (!key || !key[0]) {
        free(key);
        return written;
    }
    for (size_t i = 0; i < run->spelling_count; i++) {
        if (strcmp(run->spellings[i].key, key) == 0) {
            free(key);
            return run->spellings[i].written;
        }
    }
    char *copy = run->spelling_count < SPELLINGS_MAX ? strdup(written) : NULL;
    if (!copy) {
        free(key);
        return written;
    }
    run->spellings[run->spelling_count++] = (spelling){ key, copy };
    return copy;
}

/* ---------------------------------------------------------------- tracking numbers */

/* A 64-bit hash of len bytes of text, eight at a time (a multiply and a shift per word, the
 * low bits mixed from all: they pick the slot). */
static uint64_t hash_span(const char *text, size_t len)
{
    size_t at = 0;
    uint64_t hash = 0x9E3779B97F4A7C15ull ^ len;
    for (; at + 8 <= len; at += 8) {
        uint64_t word;
        memcpy(&word, text + at, sizeof(word));
        hash = (hash ^ word) * 0xFF51AFD7ED558CCDull;
        hash ^= hash >> 32;
    }
    uint64_t tail = 0;   /* byte by byte: a short copy into a word stalls the word's load */
    for (size_t i = 0; at + i < len; i++)
        tail |= (uint64_t)(unsigned char)text[at + i] << (8 * i);
    hash = (hash ^ tail) * 0xC4CEB9FE1A85EC53ull;
    return hash ^ (hash >> 29);
}

static uint64_t hash_text(const char *text)
{
    return hash_span(text, strlen(text));
}

/* The order reference without surrounding spaces and one leading '#', as [*start, *start +
 * *len) of ref. */
static void normalised_ref(const char *ref, const char **start, size_t *len)
{
    while (*ref == ' ' || *ref == '\t')
        ref++;
    if (*ref == '#')
        ref++;
    while (*ref == ' ' || *ref == '\t')
        ref++;
    size_t n = strlen(ref);
    while (n > 0 && (ref[n - 1] == ' ' || ref[n - 1] == '\t'))
        n--;
    *start = ref;
    *len = n;
}

/* Writes where a number was first seen, its record and its order reference (len bytes, fewer
 * than REF_CAP), as one whole line with x86's non-temporal stores, which do not bring the line
 * into the cache: a row's origin would otherwise cost a cache miss (the table is 4 MiB, larger
 * than a core's cache) and evict the checking thread's code and its keys. Each word is put
 * together in a register (a word copied to the stack and read back whole would wait for its
 * bytes' stores). The thread's own later reads see the stores; no other thread reads them. */
static void origin_write(seen_origin *slot, size_t record, const char *ref, size_t len)
{
#if defined(__SSE2__) && defined(__x86_64__)
    long long *line = (long long *)slot;
    _mm_stream_si64(line, (long long)record);
    for (size_t at = 0; at < REF_CAP; at += 8) {
        uint64_t word = 0;   /* the text's bytes, little-endian as x86 stores them, then zeros */
        if (at + 8 <= len)
            memcpy(&word, ref + at, sizeof(word));
        else
            for (size_t i = 0; at + i < len; i++)
                word |= (uint64_t)(unsigned char)ref[at + i] << (8 * i);
        _mm_stream_si64(line + 1 + at / 8, (long long)word);
    }
#else
    slot->record = record;
    memcpy(slot->order_ref, ref, len);
    memset(slot->order_ref + len, 0, REF_CAP - len);
#endif
}

/* The tables, allocated on first use; -1 when out of memory. */
static int seen_ready(sl_validate_run *run)
{
    if (!run->seen)
        run->seen = calloc(SEEN_SLOTS, sizeof(*run->seen));
    if (!run->origins)   /* not cleared: an origin is read only once its key was written */
        run->origins = aligned_alloc(ORIGIN_ALIGN, SEEN_SLOTS * sizeof(*run->origins));
    return run->seen && run->origins ? 0 : -1;
}

uint64_t sl_validate_run_prefetch(sl_validate_run *run, const char *number)
{
    if (!run || !number || !*number || seen_ready(run) != 0)
        return 0;
    uint64_t number_hash = hash_text(number) | 1;
    __builtin_prefetch(&run->seen[number_hash % SEEN_SLOTS], 0);
    return number_hash;
}

int sl_validate_run_note_number(sl_validate_run *run, const char *number, const char *order_ref,
                                size_t record, const char **other_ref, size_t *other_record)
{
    uint64_t number_hash = number && *number ? hash_text(number) | 1 : 0;
    return sl_validate_run_note_prefetched(run, number_hash, order_ref, record, other_ref,
                                           other_record);
}

int sl_validate_run_note_prefetched(sl_validate_run *run, uint64_t number_hash,
                                    const char *order_ref, size_t record,
                                    const char **other_ref, size_t *other_record)
{
    *other_ref = NULL;
    *other_record = 0;
    if (!run || !number_hash || !order_ref)
        return 0;
    if (seen_ready(run) != 0)
        return 0;   /* out of memory: nothing remembered, nothing warned */
    const char *ref;
    size_t ref_len;
    normalised_ref(order_ref, &ref, &ref_len);
    uint64_t number_tag = (number_hash | 1ull << 63) & ~SEEN_REF_MASK;   /* never 0 */
    seen_key key = number_tag | (hash_span(ref, ref_len) & SEEN_REF_MASK);
    seen_key *slot = &run->seen[number_hash % SEEN_SLOTS];
    seen_origin *origin = &run->origins[number_hash % SEEN_SLOTS];
    int seen_before = (*slot & ~SEEN_REF_MASK) == number_tag;
    int other = seen_before && *slot != key;
    if (other) {
        *other_ref = origin->order_ref;
        *other_record = (size_t)origin->record;
    } else if (!seen_before) {
        *slot = key;
        size_t kept = ref_len < REF_CAP ? ref_len : REF_CAP - 1;   /* for the message only */
        origin_write(origin, record, ref, kept);
    }
    return other;
}
