/* match_internal.h: what the order index (order_index.c) and row matching (match_rows.c) share:
 * the index's per-order entry, which carries the run's remaining-quantity ledger. Private to
 * the match stage. */
#ifndef SHIPLOAD_MATCH_INTERNAL_H
#define SHIPLOAD_MATCH_INTERNAL_H

#include "shipload/match.h"

/* A recorded failure (a lookup or read that did not succeed), allocated when it happens. */
typedef struct failure {
    sl_status status;
    sl_code code;
    char *message;
} failure;

typedef struct order_entry {
    sl_order *order;
    failure *failed;                /* sl_order_index_fail_order(); NULL: none (most orders) */
    /* The ledger, built when the first row claims from the order, in one block: per package,
     * per item, the quantity still free for this run's rows, then per package whether a row
     * took all of it. NULL: no ledger yet. Read through the functions below. */
    int32_t *ledger;
} order_entry;

/* The entry the reference resolves to (NULL and lookup filled when it does not). */
order_entry *sl_order_index_resolve(const sl_order_index *index, const char *ref,
                                    sl_ref_kind kind, sl_order_lookup *lookup);

/* Builds the ledger of entry from its packages (once). -1 out of memory. */
int sl_order_entry_ledger(order_entry *entry);
/* The quantities still free of package p's items (p indexes the order's units). */
int32_t *sl_order_entry_left(const order_entry *entry, size_t p);
/* 1 once a row of this run took all of package p. */
int sl_order_entry_whole_claimed(const order_entry *entry, size_t p);
void sl_order_entry_claim_whole(order_entry *entry, size_t p);

#endif
