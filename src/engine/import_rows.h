/* import_rows.h: the rows of one source held for the whole import (matching needs them all
 * before anything is sent): the mapped and validated sl_row of each record in memory, and the
 * raw records (needed only for rejects.csv) spilled to an unnamed temporary file, one entry a
 * row in row order and nothing per row in memory (rejects.csv reads them in row order), so that
 * 100,000 rows stay well under the memory budget. When no
 * temporary file can be made the records are kept in memory instead. Holds; decides nothing.
 *
 * Memory: the strings the template mapped (order_ref ... tracking_url, the repeating columns, the
 * tracking numbers; the line item id and tracking URL in the row's sl_row_extra, which itself
 * stays the row's own, like the warnings later stages append to it) never change after
 * validation, so a row taken in has them copied into the
 * set's arena (big chunks, no per-string allocation) and its own copies freed; a row of 10-odd
 * strings then costs its bytes instead of 10-odd small allocations, and a value of the columns
 * that repeat (carrier, carrier code, SKU, quantity, ship date, notify, location, shipping
 * method, action, fulfillment status) is stored once and shared by the rows that hold it. The
 * row's sl_row_columns (those values but carrier and SKU) is then stored once per combination,
 * found by the identity of its pointers, and shared by every row of that combination (marked
 * SL_ROW_SHARED_COLUMNS); a row with none points to none, and one with a value the vocabulary
 * has no room for (or a combination past the table's) has a copy of its own in the arena.
 * The fulfillment id a write settles onto its rows is kept in the arena too
 * (sl_import_rows_keep), once per planned fulfillment, and shared by its rows. Later stages may
 * still set the strings they own (order_id, fulfillment_order_id, message; fulfillment_id
 * through sl_row_set_fulfillment_id) as usual, but must never replace or free a mapped string
 * or column of a held row (nor, once sl_import_rows_share_matched has run, the order id, order
 * name or fulfillment order id). */
#ifndef SHIPLOAD_ENGINE_IMPORT_ROWS_H
#define SHIPLOAD_ENGINE_IMPORT_ROWS_H

#include <stddef.h>
#include <stdio.h>
#include "shipload/record.h"
#include "shipload/row.h"

typedef struct sl_import_chunk sl_import_chunk;

/* Strings stored once (in the arena): a hash table by value of at most max entries. */
typedef struct sl_import_strings {
    char **slots;
    size_t cap, count, max;
} sl_import_strings;

/* Combinations of the repeating columns stored once (in the arena), every value the
 * vocabulary's: a hash table by the identity of their pointers, of at most max entries. */
typedef struct sl_import_combinations {
    sl_row_columns **slots;
    size_t cap, count, max;
} sl_import_combinations;

typedef struct sl_import_rows {
    sl_row *rows;
    size_t count, cap;
    FILE *spill;                /* the records, one after another; NULL: in memory */
    /* where reading the spill stands: entry spill_next (rows[spill_next]'s record) starts at
     * spill_at; reading an earlier one starts again from the beginning */
    struct sl_import_spill_cursor { size_t next; long at; } *spill_cursor;
    sl_record **records;        /* without a spill file: records[i] */
    int spill_failed;
    sl_import_chunk *chunks;    /* the arena of the rows' mapped strings; newest first */
    sl_import_strings vocabulary;   /* the shared values of the repeating columns */
    sl_import_combinations combinations;    /* the rows' shared sl_row_columns */
    sl_import_strings matched;  /* the matched orders' records (id and name), by id */
    size_t bytes;               /* held: the arrays' capacity, the arena, in-memory records */
    size_t value_bytes;         /* the rows' mapped values and raw records, as added */
} sl_import_rows;

void sl_import_rows_init(sl_import_rows *set);
/* Takes the row (moved: *row is re-initialised; its mapped strings move to the arena) and
 * keeps the record. The row must not use a string block of its own (sl_row_use_block). -1 out
 * of memory or the temporary file could not be written. */
int sl_import_rows_add(sl_import_rows *set, sl_row *row, const sl_record *raw);
/* Gives back the spare capacity of the row array once every row is in. */
void sl_import_rows_shrink(sl_import_rows *set);
/* sl_import_rows_share_matched for one row, as soon as matching has set its three strings
 * (nothing may set them afterwards). -1 out of memory (the row keeps its own copies). */
int sl_import_rows_share_row(sl_import_rows *set, sl_row *row);
/* After matching: the rows that name the same order share one copy of its id and name (one
 * record per order), and each row's fulfillment_order_id moves to the arena, their own copies
 * freed; nothing may set those three strings of a held row afterwards. -1 out of memory (the
 * rows keep what they had). */
int sl_import_rows_share_matched(sl_import_rows *set);
/* A copy of text in the set's arena, freed with the set (never through a row): what the rows
 * of one planned fulfillment share of the id the store gave it (sl_plan_options.keep_id). NULL
 * out of memory. */
char *sl_import_rows_keep(sl_import_rows *set, const char *text);
/* Every row still pending ends not_attempted with code and why: one copy of why, kept by the
 * set and shared by the rows (a run stopped after millions of rows costs no message per row). */
void sl_import_rows_stop_pending(sl_import_rows *set, sl_code code, const char *why);
/* The raw record of rows[i]: a new copy in one allocation (free() it); NULL when there is
 * none or it cannot be read back. Cheapest in row order (the spill is read forward from where
 * the last call left it). */
sl_record *sl_import_rows_record(const sl_import_rows *set, size_t i);
void sl_import_rows_clear(sl_import_rows *set);
/* The bytes the set holds, counting the arrays at the size the next record may grow them to
 * (what --memory-limit bounds). */
size_t sl_import_rows_bytes(const sl_import_rows *set);

/* A copy of record in one allocation (free() it). NULL on allocation failure. */
sl_record *sl_import_record_pack(const sl_record *record);

#endif
