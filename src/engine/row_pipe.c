/* row_pipe.c: a reading thread, a checking thread and a bounded ring of row batches (see
 * row_pipe.h). The reading thread fills a batch with copies of the next records and hands it
 * on; the checking thread maps each record into its row (each row with its own string block,
 * kept from round to round; the reading thread maps the first rows of the batch itself when
 * the template allows) and, when the caller asked for validated rows, validates it, in input
 * order, and hands the batch to the caller; the caller resets the rows as it gives the batch
 * back (they are still in its cache). Reading (inflate, parse), mapping with validation, and
 * the caller's reports then share the cores about evenly (docs/architecture.md). Neither
 * thread reports. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "engine/row_pipe.h"

#define BATCH_ROWS 1024                      /* rows handed over at a time */
#define PIPE_BATCHES 16                      /* batches in flight: enough to ride out a stall
                                              * of one thread; bounds the memory (about 0.9 MB
                                              * a batch of short records, 2 MB at most of long) */
#define BATCH_BYTES_MAX (512 * 1024)         /* a batch of long records ends early */
#define BATCH_BYTES_KEEP (1024 * 1024)       /* record bytes kept allocated between batches */
#define ROW_BLOCK 256                        /* each row's string block: a usual row fits */
#define MAP_SHARE_PERCENT 60                 /* of a batch's rows, mapped by the reading thread
                                                when it may: then the three threads cost
                                                about the same per row (instructions counted
                                                on the validate benchmark) */

typedef struct pipe_batch {
    sl_row rows[BATCH_ROWS];
    sl_record records[BATCH_ROWS];   /* fields and lengths point into the arrays below */
    size_t first_field[BATCH_ROWS];  /* each record's first entry in offsets/lengths/fields */
    size_t count;
    size_t mapped;                   /* rows [0, mapped) were mapped by the reading thread */
    char *bytes;                     /* every field of the batch, NUL-terminated, end to end */
    size_t bytes_len, bytes_cap;
    size_t *offsets, *lengths;       /* per field: where in bytes, how long */
    char **fields;                   /* per field: bytes + offset, set when the batch is
                                        mapped (the bytes no longer move) */
    size_t field_len, field_cap;
    int rows_ready;                  /* its rows were initialised and given their blocks */
    int last;                        /* no batch follows: the end (rc 0) or a fatal error */
    int rc;
    sl_error err;
} pipe_batch;

/* The ring: batch n (a count from the start) lives in batches[n % PIPE_BATCHES]. Batches
 * [taken, checked) are ready for the caller, [checked, filled) wait for the checking thread
 * (none when it does not run: the caller maps them, and checked follows filled), and the
 * reading thread fills batch `filled` once fewer than PIPE_BATCHES are out (filled - taken). */
struct sl_row_pipe {
    sl_source *source;
    pipe_batch batches[PIPE_BATCHES];
    size_t filled;                   /* batches the reading thread has filled */
    size_t checked;                  /* batches the checking thread has mapped (and validated) */
    size_t taken;                    /* batches the caller has given back */
    int holding;                     /* the caller holds batch `taken` */
    size_t next_row;                 /* in the batch held */
    int finished;                    /* the caller has seen the last batch */
    int stop;                        /* the caller wants no more batches */
    int validate;                    /* rows come out validated too (sl_source_validate) */
    int share_mapping;               /* the reading thread maps part of each batch
                                        (sl_source_maps_in_any_order) */
    int reading, checking;           /* the reading / checking thread runs */
    pthread_t reader, checker;
    pthread_mutex_t lock;
    pthread_cond_t room;             /* the reading thread waits here: a batch came back */
    pthread_cond_t filled_one;       /* the checking thread: a batch was filled */
    pthread_cond_t ready;            /* the caller: a batch is ready for it */
};

/* ---------------------------------------------------------------- filling a batch */

static int grow(void **array, size_t *cap, size_t need, size_t item_size)
{
    if (need <= *cap)
        return 0;
    size_t new_cap = *cap ? *cap : 1024;
    while (new_cap < need)
        new_cap *= 2;
    void *grown = realloc(*array, new_cap * item_size);
    if (!grown)
        return -1;
    *array = grown;
    *cap = new_cap;
    return 0;
}

static int reserve_fields(pipe_batch *batch, size_t more)
{
    size_t need = batch->field_len + more, cap = batch->field_cap;
    if (need <= cap)
        return 0;
    size_t offsets_cap = cap, lengths_cap = cap, fields_cap = cap;
    if (grow((void **)&batch->offsets, &offsets_cap, need, sizeof(size_t)) != 0 ||
        grow((void **)&batch->lengths, &lengths_cap, need, sizeof(size_t)) != 0 ||
        grow((void **)&batch->fields, &fields_cap, need, sizeof(char *)) != 0)
        return -1;   /* arrays that did grow keep their larger size: harmless */
    batch->field_cap = fields_cap;
    return 0;
}

/* Copies the record into the batch as its row index's record: one pass notes each field's
 * place and length and whether the fields lie end to end, each NUL-terminated (as the readers
 * build them: then one copy takes them all). */
static int keep_record(pipe_batch *batch, size_t index, const sl_record *record)
{
    size_t count = record->field_count, first = batch->field_len;
    if (reserve_fields(batch, count) != 0)
        return -1;
    const char *start = count ? record->fields[0] : NULL;
    size_t bytes = 0;
    int contiguous = 1;
    for (size_t i = 0; i < count; i++) {
        size_t len = record->lengths[i];
        contiguous = contiguous && record->fields[i] == start + bytes && start[bytes + len] == '\0';
        batch->offsets[first + i] = batch->bytes_len + bytes;
        batch->lengths[first + i] = len;
        bytes += len + 1;
    }
    if (grow((void **)&batch->bytes, &batch->bytes_cap, batch->bytes_len + bytes, 1) != 0)
        return -1;
    char *to = batch->bytes + batch->bytes_len;
    if (contiguous && count > 0) {
        memcpy(to, start, bytes);
    } else {
        for (size_t i = 0; i < count; i++) {
            size_t len = record->lengths[i];
            memcpy(to, record->fields[i], len);
            to[len] = '\0';
            to += len + 1;
        }
    }
    batch->records[index] = *record;
    batch->first_field[index] = first;
    batch->field_len += count;
    batch->bytes_len += bytes;
    return 0;
}

/* Empties a batch for refilling: the record bytes dropped (and their buffer given back if a
 * giant record grew it). Its rows were reset when it was given back (give_back); their strings
 * mostly live in each row's block, which is kept, so a row costs next to no malloc. */
static void batch_reset(pipe_batch *batch)
{
    if (!batch->rows_ready) {   /* the first fill: here, not before the threads start */
        for (size_t i = 0; i < BATCH_ROWS; i++) {
            sl_row_init(&batch->rows[i]);
            sl_row_use_block(&batch->rows[i], ROW_BLOCK);   /* else plain malloc */
        }
        batch->rows_ready = 1;
    }
    batch->count = 0;
    batch->mapped = 0;
    batch->bytes_len = 0;
    batch->field_len = 0;
    if (batch->bytes_cap > BATCH_BYTES_KEEP) {
        free(batch->bytes);
        batch->bytes = NULL;
        batch->bytes_cap = 0;
    }
    batch->last = 0;
    batch->rc = 0;
    batch->err.message[0] = '\0';
}

/* Reads copies of up to BATCH_ROWS records (fewer when they pass BATCH_BYTES_MAX) into the
 * batch; marks it last at the end or on a fatal error. */
static void batch_read(sl_row_pipe *pipe, pipe_batch *batch)
{
    while (batch->count < BATCH_ROWS && batch->bytes_len < BATCH_BYTES_MAX) {
        const sl_record *raw = NULL;
        int got = sl_source_next_record(pipe->source, &raw, &batch->err);
        if (got == 1 && keep_record(batch, batch->count, raw) != 0)
            got = sl_error_set(&batch->err, "%s: out of memory at record %zu",
                               pipe->source->path, raw->number);
        if (got != 1) {
            batch->last = 1;
            batch->rc = got;
            return;
        }
        batch->count++;
    }
}

/* The record of a row of a filled batch, its field pointers set. */
static const sl_record *record_at(pipe_batch *batch, size_t index)
{
    sl_record *record = &batch->records[index];
    size_t first = batch->first_field[index];
    for (size_t i = 0; i < record->field_count; i++)
        batch->fields[first + i] = batch->bytes + batch->offsets[first + i];
    record->fields = record->field_count ? batch->fields + first : NULL;
    record->lengths = record->field_count ? batch->lengths + first : NULL;
    return record;
}

/* Maps the records [from, to) into their rows. Out of memory ends the rows at that record: the
 * batch becomes the last, with the error, as a read error would. 0, or -1 then. */
static int map_rows(sl_row_pipe *pipe, pipe_batch *batch, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        sl_row *row = &batch->rows[i];
        if (sl_source_map(pipe->source, record_at(batch, i), row, &batch->err) != 0) {
            sl_row_reset(row);   /* a row the mapper left half made */
            batch->count = i;
            batch->last = 1;
            batch->rc = -1;
            return -1;
        }
    }
    return 0;
}

/* Reads a batch; when mapping may be shared, maps its first MAP_SHARE_PERCENT rows too (the
 * checking thread maps the rest). */
static void batch_fill(sl_row_pipe *pipe, pipe_batch *batch)
{
    batch_reset(batch);
    batch_read(pipe, batch);
    size_t share = batch->count * MAP_SHARE_PERCENT / 100;
    if (pipe->share_mapping && map_rows(pipe, batch, 0, share) == 0)
        batch->mapped = share;
}

/* Maps the rows the reading thread left, then validates every row when asked, in input order
 * (on whichever thread checks). */
static void batch_check(sl_row_pipe *pipe, pipe_batch *batch)
{
    if (map_rows(pipe, batch, batch->mapped, batch->count) != 0 || !pipe->validate)
        return;
    for (size_t i = 0; i < batch->count; i++)
        sl_source_validate(pipe->source, &batch->rows[i]);
}

/* ---------------------------------------------------------------- the threads */

/* Marks one more batch done by a stage (counter: filled or checked) and wakes the next stage
 * only (one waiter on each condition: no thread wakes for nothing). */
static void hand_on(sl_row_pipe *pipe, size_t *counter)
{
    pthread_mutex_lock(&pipe->lock);
    (*counter)++;
    if (counter == &pipe->filled && !pipe->checking)
        pipe->checked = pipe->filled;   /* nothing to wait for between reading and the caller */
    pthread_cond_signal(counter == &pipe->filled && pipe->checking ? &pipe->filled_one
                                                                   : &pipe->ready);
    pthread_mutex_unlock(&pipe->lock);
}

/* A thread's stage: the count of batches it has done, where it waits, whether a batch awaits
 * it (asked under the lock), and its work on a batch. */
typedef struct pipe_stage {
    size_t *done;
    pthread_cond_t *wake;
    int (*has_work)(const sl_row_pipe *pipe);
    void (*work)(sl_row_pipe *pipe, pipe_batch *batch);
} pipe_stage;

static int room_to_fill(const sl_row_pipe *pipe)
{
    return pipe->filled - pipe->taken < PIPE_BATCHES;
}

static int filled_to_check(const sl_row_pipe *pipe)
{
    return pipe->checked != pipe->filled;
}

/* A stage's thread: waits for a batch, does its work, hands it on, until the last batch or a
 * stop. */
static void run_stage(sl_row_pipe *pipe, const pipe_stage *stage)
{
    for (;;) {
        pthread_mutex_lock(&pipe->lock);
        while (!stage->has_work(pipe) && !pipe->stop)
            pthread_cond_wait(stage->wake, &pipe->lock);
        int stop = pipe->stop;
        pthread_mutex_unlock(&pipe->lock);
        if (stop)
            return;
        pipe_batch *batch = &pipe->batches[*stage->done % PIPE_BATCHES];
        stage->work(pipe, batch);
        int last = batch->last;   /* read before handing on: then the batch is not ours */
        hand_on(pipe, stage->done);
        if (last)
            return;
    }
}

static void *read_batches(void *arg)
{
    sl_row_pipe *pipe = arg;
    const pipe_stage reading = { &pipe->filled, &pipe->room, room_to_fill, batch_fill };
    run_stage(pipe, &reading);
    return NULL;
}

static void *check_batches(void *arg)
{
    sl_row_pipe *pipe = arg;
    const pipe_stage checking = { &pipe->checked, &pipe->filled_one, filled_to_check,
                                  batch_check };
    run_stage(pipe, &checking);
    return NULL;
}

/* Starts a thread with every signal blocked: signals go to the caller's thread. 1 when it
 * runs. */
static int start_thread(pthread_t *thread, void *(*run)(void *), sl_row_pipe *pipe)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(thread, NULL, run, pipe);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc == 0;
}

/* Stops the threads that run (at any point) and waits for them. */
static void stop_threads(sl_row_pipe *pipe)
{
    pthread_mutex_lock(&pipe->lock);
    pipe->stop = 1;
    pthread_cond_signal(&pipe->room);
    pthread_cond_signal(&pipe->filled_one);
    pthread_mutex_unlock(&pipe->lock);
    if (pipe->reading)
        pthread_join(pipe->reader, NULL);
    if (pipe->checking)
        pthread_join(pipe->checker, NULL);
}

/* The checking thread first (it waits for batches), then the reading thread; without a
 * reading thread the caller reads and checks, without a checking thread it checks. */
static void start_threads(sl_row_pipe *pipe)
{
    pipe->checking = start_thread(&pipe->checker, check_batches, pipe);
    pipe->share_mapping = pipe->checking && sl_source_maps_in_any_order(pipe->source);
    pipe->reading = start_thread(&pipe->reader, read_batches, pipe);
    if (!pipe->reading && pipe->checking) {
        stop_threads(pipe);
        pipe->checking = 0;
        pipe->share_mapping = 0;
    }
}

sl_row_pipe *sl_row_pipe_new(sl_source *source, int validate, sl_error *err)
{
    sl_row_pipe *pipe = calloc(1, sizeof(*pipe));
    if (!pipe) {
        sl_error_set(err, "%s: out of memory", source->path);
        return NULL;
    }
    pipe->source = source;
    pipe->validate = validate != 0;
    pthread_mutex_init(&pipe->lock, NULL);
    pthread_cond_init(&pipe->room, NULL);
    pthread_cond_init(&pipe->filled_one, NULL);
    pthread_cond_init(&pipe->ready, NULL);
    start_threads(pipe);
    return pipe;
}

/* ---------------------------------------------------------------- the caller's side */

/* Gives the held batch back to the reading thread, its rows reset for refilling (their blocks
 * kept). */
static void give_back(sl_row_pipe *pipe)
{
    pipe_batch *batch = &pipe->batches[pipe->taken % PIPE_BATCHES];
    for (size_t i = 0; i < batch->count; i++)
        sl_row_reset(&batch->rows[i]);
    pipe->holding = 0;
    if (!pipe->reading) {
        pipe->taken++;
        return;
    }
    pthread_mutex_lock(&pipe->lock);
    pipe->taken++;
    pthread_cond_signal(&pipe->room);
    pthread_mutex_unlock(&pipe->lock);
}

/* Takes the next batch: waits for the threads, or reads (and checks) it here. */
static void take_next(sl_row_pipe *pipe)
{
    pipe_batch *batch = &pipe->batches[pipe->taken % PIPE_BATCHES];
    if (pipe->reading) {
        pthread_mutex_lock(&pipe->lock);
        while (pipe->checked == pipe->taken)
            pthread_cond_wait(&pipe->ready, &pipe->lock);
        pthread_mutex_unlock(&pipe->lock);
    } else {
        batch_fill(pipe, batch);
    }
    if (!pipe->checking)
        batch_check(pipe, batch);
    pipe->holding = 1;
    pipe->next_row = 0;
}

int sl_row_pipe_next(sl_row_pipe *pipe, sl_row **row, const sl_record **raw, sl_error *err)
{
    while (!pipe->finished) {
        if (!pipe->holding)
            take_next(pipe);
        pipe_batch *batch = &pipe->batches[pipe->taken % PIPE_BATCHES];
        if (pipe->next_row < batch->count) {
            size_t index = pipe->next_row++;
            *row = &batch->rows[index];
            *raw = &batch->records[index];   /* its fields set when it was mapped */
            return 1;
        }
        if (batch->last) {
            pipe->finished = 1;
            if (batch->rc < 0)
                sl_error_set(err, "%s", batch->err.message);
            return batch->rc < 0 ? -1 : 0;
        }
        give_back(pipe);
    }
    return 0;
}

void sl_row_pipe_free(sl_row_pipe *pipe)
{
    if (!pipe)
        return;
    stop_threads(pipe);
    for (size_t b = 0; b < PIPE_BATCHES; b++) {
        pipe_batch *batch = &pipe->batches[b];
        for (size_t i = 0; batch->rows_ready && i < BATCH_ROWS; i++)   /* else never used */
            sl_row_clear(&batch->rows[i]);
        free(batch->bytes);
        free(batch->offsets);
        free(batch->lengths);
        free(batch->fields);
    }
    pthread_mutex_destroy(&pipe->lock);
    pthread_cond_destroy(&pipe->room);
    pthread_cond_destroy(&pipe->filled_one);
    pthread_cond_destroy(&pipe->ready);
    free(pipe);
}
