/* engine.h: the engine's one options struct. The engine (src/engine/) drives the stages for a
 * run: it reads a source (source.h: stream, template, reader, mapper, validation), holds its
 * rows (import_rows.h), looks the orders up, matches, plans and submits through the chosen
 * platform (import_send.h, lookup.h, submit.h), and pages the export listing (export.h). It
 * reads no command line and no environment: src/cli/ parses both and fills this struct
 * (docs/architecture.md, "The stages"). */
#ifndef SHIPLOAD_ENGINE_H
#define SHIPLOAD_ENGINE_H

#include <stddef.h>
#include "shipload/input.h"
#include "shipload/journal.h"
#include "shipload/match.h"
#include "shipload/platform.h"
#include "shipload/remote.h"

/* The most an answer can need (sl_http_request.max_body), whatever the platform: a read lists
 * at most a page of resources (50 orders of up to 320 KiB each on Ecart, 250 of 64 KiB on the
 * direct platforms); a write answers with its own fulfillments. Past it the answer is refused
 * as too large (never read whole, never taken for an unreachable API). */
#define SL_ENGINE_READ_BODY_MAX ((size_t)16 * 1024 * 1024)
#define SL_ENGINE_WRITE_BODY_MAX ((size_t)4 * 1024 * 1024)

typedef struct sl_engine_options {
    /* the store */
    const sl_platform *platform;    /* NULL: sl_platform_default() */
    const char *api_url;            /* the base URL, without trailing slashes */
    const char *token;              /* handed to the HTTP client only; never printed */
    long concurrency;               /* transfers at once */
    long timeout_ms;                /* per attempt */
    long max_attempts;
    long max_wait_ms;               /* give up after this long of nothing but 429s; 0: never */
    long rate_limit;                /* attempts started per second at most (--rate-limit, else
                                       the platform's); 0: none known (429s find it) */
    long rate_burst;                /* the store's bucket (the platform's); 0: none */
    int verbose;                    /* 0; 1: a log line per attempt; 2: with headers */
    /* reading a source */
    const char *template_name;      /* NULL: detect */
    const char *encoding_name;      /* as given, NULL: the template's or detected */
    sl_encoding encoding;
    const char *const *date_formats; /* --date-format: tried first and alone, then ISO 8601 */
    size_t date_format_count;
    long today;                     /* days since 1970-01-01 for the ship-date warnings
                                       (sl_date_days); 0: none */
    int excel;                      /* rejects.csv with a UTF-8 BOM */
    int verify_tracking;            /* check carriers' check digits */
    int notify;                     /* 1, 0, or -1: per row, else the template */
    int strict;                     /* a column that looks like a field but is unread: exit 2 */
    const char *sheet;              /* an .xlsx workbook's sheet; NULL: the first */
    sl_remote_options remote;       /* sftp://, ftps://, https:// sources: keys, hosts, CAs */
    /* sending */
    size_t batch_size;              /* creates per request; within caps.bulk_max */
    sl_on_conflict on_conflict;
    const char *fulfillment_status; /* --fulfillment-status: one of the platform's
                                       fulfillment_statuses for rows without their own; NULL:
                                       the platform's default */
    int allow_shared_tracking;      /* a tracking number may be on orders at other addresses */
    int dry_run;                    /* write requests.jsonl, send no write */
    int progress;                   /* draw a progress line on stderr */
    int (*interrupted)(void);       /* non-zero once SIGINT/SIGTERM came; NULL: never */
    sl_journal *journal;            /* the journal of writes (journal.h); NULL: none */
} sl_engine_options;

#endif
