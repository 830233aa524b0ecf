/* report_journal.c: writing the import's journal of writes (include/shipload/journal.h): the
 * file made O_EXCL|O_NOFOLLOW and locked, its header, a line per write about to be sent and
 * per row outcome (JSON by jansson, one object a line), fdatasync on demand, and its removal
 * once the reports are complete. Reading a journal back is report_journal_read.c's; what is
 * journaled when is the engine's (src/engine/submit.c). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include "shipload/journal.h"
#include "shipload/validate.h"
#include "report_fs.h"
#include "report_summary.h"

#define JOURNAL_OPEN_FLAGS (O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC)
#define JOURNAL_STDIO_BUFFER (64 * 1024)

struct sl_journal {
    char *path;
    FILE *fp;
    int dirty;                  /* lines written since the last sync */
    char error[600];            /* the first failure; "" while none */
};

static int journal_failed(sl_journal *journal, int error)
{
    if (!journal->error[0]) {
        char why[128];
        snprintf(journal->error, sizeof(journal->error), "cannot write %s: %s", journal->path,
                 sl_report_errno_text(error ? error : EIO, why, sizeof(why)));
    }
    return -1;
}

/* One JSON object as a line; the object is taken (decref'd). */
static int write_line(sl_journal *journal, json_t *line)
{
    if (journal->error[0]) {
        json_decref(line);
        return -1;
    }
    if (!line)
        return journal_failed(journal, ENOMEM);
    errno = 0;
    int rc = json_dumpf(line, journal->fp, JSON_COMPACT) == 0 && fputc('\n', journal->fp) != EOF
                 ? 0 : -1;
    json_decref(line);
    if (rc == 0 && fflush(journal->fp) == 0) {   /* in the kernel: survives a kill -9 */
        journal->dirty = 1;
        return 0;
    }
    return journal_failed(journal, errno);
}

/* ---------------------------------------------------------------- lines */

static json_t *text_or_null(const char *text)
{
    return text ? json_string(text) : json_null();
}

/* json_string refuses invalid UTF-8; a row may carry such bytes (bad_encoding rows): they
 * are kept byte for byte as far as jansson allows, else shown as U+FFFD. */
static json_t *row_text(const char *text)
{
    if (!text)
        return json_null();
    json_t *value = json_string(text);
    if (value)
        return value;
    size_t len = strlen(text);
    char *clean = malloc(len * 3 + 1);
    if (!clean)
        return NULL;
    size_t used = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80) {
            clean[used++] = (char)c;
        } else {
            memcpy(clean + used, "\xEF\xBF\xBD", 3);
            used += 3;
        }
    }
    clean[used] = '\0';
    value = json_string(clean);
    free(clean);
    return value;
}

static json_t *journal_header(const sl_journal_run *run)
{
    json_t *formats = json_array();
    for (size_t i = 0; formats && i < run->date_format_count; i++)
        json_array_append_new(formats, row_text(run->date_formats[i]));
    char started[32];
    sl_report_format_utc(time(NULL), started);
    return json_pack("{s:s, s:i, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:I, s:b, s:b, "
                     "s:b, s:i, s:o, s:o, s:I}",
                     "journal", "shipload", "version", SL_JOURNAL_VERSION, "started", started,
                     "command", run->command ? run->command : "import",
                     "source", row_text(run->source), "sha256", text_or_null(run->sha256_hex),
                     "size", (json_int_t)run->size, "template", row_text(run->template_name),
                     "encoding", row_text(run->encoding), "sheet", row_text(run->sheet),
                     "date_formats", formats ? formats : json_array(),
                     "today", (json_int_t)run->today, "verify_tracking", run->verify_tracking,
                     "excel", run->excel, "strict", run->strict, "notify", run->notify,
                     "platform", row_text(run->platform), "store", row_text(run->store),
                     "records", (json_int_t)run->records);
}

static json_t *warning_names(unsigned kinds)
{
    json_t *names = json_array();
    for (int kind = 0; names && kind < SL_WARNING_COUNT; kind++)
        if (kinds & (1u << kind))
            json_array_append_new(names, json_string(sl_warning_name(kind)));
    return names;
}

static json_t *row_line(const sl_row *row)
{
    char tracking[4096];
    sl_row_tracking_joined(row, tracking, sizeof(tracking));
    sl_row_url url;
    json_t *line = json_pack(
        "{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:i, s:o, s:o, s:o, "
        "s:o, s:i, s:o}",
        "record", (json_int_t)row->record, "line", (json_int_t)row->line,
        "order_ref", row_text(row->order_ref), "order_id", row_text(row->order_id),
        "fulfillment_order_id", row_text(row->fulfillment_order_id), "sku", row_text(row->sku),
        "quantity", row_text(sl_row_cols(row)->quantity_text),
        "tracking_number", row_text(tracking),
        "carrier", row_text(row->carrier), "status", sl_status_name(row->status),
        "error_code", sl_code_name(row->code), "error_message", row_text(row->message),
        "fulfillment_id", row_text(row->fulfillment_id), "http_status", row->http_status,
        "warning", row_text(sl_row_warning(row)), "warnings", warning_names(sl_row_warning_kinds(row)),
        "order_name", row_text(row->order_name), "ship_date", row_text(sl_row_ship_date(row)),
        "notified", row->notified, "tracking_url", row_text(sl_row_tracking_url(row, &url)));
    sl_row_url_free(&url);
    return line;
}

/* ---------------------------------------------------------------- the file */

/* Blocks for the journal beyond its end, so that a disk filling up during the run does not
 * stop it. A file system that cannot allocate ahead (EOPNOTSUPP) is taken as it is. */
static int allocate_room(int fd, unsigned long long room)
{
    if (room == 0 || fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)room) == 0)
        return 0;
    return errno == EOPNOTSUPP || errno == ENOSYS ? 0 : -1;
}

static sl_journal *open_failed(sl_journal *journal, int fd, int error, sl_error *err)
{
    char why[128];
    if (error == EEXIST)
        sl_error_set(err, "%s exists: a run that did not finish left it; rebuild its reports "
                     "first ('shipload report --rebuild %.*s') or move it away", journal->path,
                     (int)(strlen(journal->path) - strlen(SL_JOURNAL_NAME) - 1), journal->path);
    else
        sl_error_set(err, "cannot write %s: %s", journal->path,
                     sl_report_errno_text(error, why, sizeof(why)));
    if (journal->fp)
        fclose(journal->fp);
    else if (fd >= 0)
        close(fd);
    if (fd >= 0 && error != EEXIST)
        unlink(journal->path);
    free(journal->path);
    free(journal);
    return NULL;
}

sl_journal *sl_journal_open(const char *dir, const sl_journal_run *run, unsigned long long room,
                            sl_error *err)
{
    sl_journal *journal = calloc(1, sizeof(*journal));
    size_t len = strlen(dir) + sizeof(SL_JOURNAL_NAME) + 1;
    if (!journal || !(journal->path = malloc(len))) {
        free(journal);
        sl_error_set(err, "out of memory");
        return NULL;
    }
    snprintf(journal->path, len, "%s/%s", dir, SL_JOURNAL_NAME);
    int fd = open(journal->path, JOURNAL_OPEN_FLAGS, 0666);
    if (fd < 0)
        return open_failed(journal, -1, errno, err);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 || allocate_room(fd, room) != 0)
        return open_failed(journal, fd, errno, err);
    if (!(journal->fp = fdopen(fd, "a")))
        return open_failed(journal, fd, errno, err);
    setvbuf(journal->fp, NULL, _IOFBF, JOURNAL_STDIO_BUFFER);
    sl_error sync_err;
    if (write_line(journal, journal_header(run)) != 0 ||
        sl_journal_sync(journal, &sync_err) != 0) {
        sl_error_set(err, "%s", journal->error);
        fclose(journal->fp);
        unlink(journal->path);
        free(journal->path);
        free(journal);
        return NULL;
    }
    return journal;
}

int sl_journal_sending(sl_journal *journal, const char *kind, const char *order_id,
                       const sl_row *const *rows, size_t count)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < count; i++)
        if (json_array_append_new(list, row_line(rows[i])) != 0) {
            json_decref(list);
            list = NULL;
        }
    return write_line(journal, list ? json_pack("{s:s, s:o, s:o}", "sent", kind,
                                                "order_id", row_text(order_id), "rows", list)
                                    : NULL);
}

int sl_journal_row(sl_journal *journal, const sl_row *row)
{
    return write_line(journal, row_line(row));
}

int sl_journal_sync(sl_journal *journal, sl_error *err)
{
    if (!journal->error[0] && journal->dirty) {
        if (fflush(journal->fp) != 0 || fdatasync(fileno(journal->fp)) != 0)
            journal_failed(journal, errno);
        else
            journal->dirty = 0;
    }
    if (journal->error[0])
        return sl_error_set(err, "%s", journal->error);
    return 0;
}

const char *sl_journal_error(const sl_journal *journal)
{
    return journal->error[0] ? journal->error : NULL;
}

const char *sl_journal_path(const sl_journal *journal)
{
    return journal->path;
}

void sl_journal_close(sl_journal *journal, int remove)
{
    if (!journal)
        return;
    if (remove)
        unlink(journal->path);   /* before the lock goes with the close */
    fclose(journal->fp);
    free(journal->path);
    free(journal);
}

int sl_journal_busy(const char *path, sl_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return sl_error_set(err, "cannot read %s: %s", path, strerror(errno));
    int busy = flock(fd, LOCK_EX | LOCK_NB) != 0;
    int error = errno;
    close(fd);
    if (busy && error != EWOULDBLOCK)
        return sl_error_set(err, "cannot lock %s: %s", path, strerror(error));
    return busy;
}
