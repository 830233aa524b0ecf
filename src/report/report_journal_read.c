/* report_journal_read.c: reading a journal of writes back (include/shipload/journal.h) for
 * `shipload report --rebuild`: the header, which records were sent, and the last outcome of
 * each record, as rows. A last line cut short by a crash is ignored; any other line that does
 * not decode makes the journal unreadable. Writing journals is report_journal.c's; turning
 * them into reports is the rebuild command's (src/cli/report.c). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/journal.h"

static char *copy_text(json_t *object, const char *key)
{
    const char *text = json_string_value(json_object_get(object, key));
    return text ? strdup(text) : NULL;
}

static int lookup_status(const char *name, sl_status *out)
{
    for (int status = 0; name && status < SL_STATUS_COUNT; status++)
        if (strcmp(sl_status_name(status), name) == 0) {
            *out = status;
            return 0;
        }
    return -1;
}

static sl_code lookup_code(const char *name)
{
    for (int code = 1; name && name[0] && code < SL_CODE_COUNT; code++)
        if (strcmp(sl_code_name(code), name) == 0)
            return code;
    return SL_CODE_NONE;
}

static unsigned lookup_warnings(json_t *names)
{
    unsigned kinds = 0;
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name)
        for (int kind = 0; kind < SL_WARNING_COUNT; kind++)
            if (json_string_value(name) && strcmp(sl_warning_name(kind), json_string_value(name)) == 0)
                kinds |= 1u << kind;
    return kinds;
}

static int read_header(json_t *line, sl_journal_contents *out, sl_error *err)
{
    const char *magic = json_string_value(json_object_get(line, "journal"));
    if (!magic || strcmp(magic, "shipload") != 0)
        return sl_error_set(err, "not a shipload journal (its first line has no \"journal\": "
                            "\"shipload\")");
    if (json_integer_value(json_object_get(line, "version")) != SL_JOURNAL_VERSION)
        return sl_error_set(err, "a journal of version %lld, this shipload reads version %d",
                            (long long)json_integer_value(json_object_get(line, "version")),
                            SL_JOURNAL_VERSION);
    out->command = copy_text(line, "command");
    out->source = copy_text(line, "source");
    out->sha256_hex = copy_text(line, "sha256");
    out->template_name = copy_text(line, "template");
    out->encoding = copy_text(line, "encoding");
    out->sheet = copy_text(line, "sheet");
    out->platform = copy_text(line, "platform");
    out->store = copy_text(line, "store");
    out->size = (unsigned long long)json_integer_value(json_object_get(line, "size"));
    out->today = (long)json_integer_value(json_object_get(line, "today"));
    out->verify_tracking = json_is_true(json_object_get(line, "verify_tracking"));
    out->excel = json_is_true(json_object_get(line, "excel"));
    out->strict = json_is_true(json_object_get(line, "strict"));
    out->notify = (int)json_integer_value(json_object_get(line, "notify"));
    json_int_t records = json_integer_value(json_object_get(line, "records"));
    if (records < 0 || records > 1000000000)
        return sl_error_set(err, "the journal's header gives %lld records", (long long)records);
    out->records = (size_t)records;
    json_t *formats = json_object_get(line, "date_formats");
    out->date_formats = calloc(json_array_size(formats) + 1, sizeof(char *));
    out->sent = calloc(out->records + 1, 1);
    out->outcomes = calloc(out->records + 1, sizeof(sl_row));
    if (!out->date_formats || !out->sent || !out->outcomes)
        return sl_error_set(err, "out of memory");
    for (size_t i = 0; i < json_array_size(formats); i++)
        if (json_string_value(json_array_get(formats, i)))
            out->date_formats[out->date_format_count++] =
                strdup(json_string_value(json_array_get(formats, i)));
    for (size_t r = 0; r <= out->records; r++)
        sl_row_init(&out->outcomes[r]);
    return 0;
}

static size_t record_of(json_t *value, const sl_journal_contents *out, int *bad)
{
    json_int_t record = json_integer_value(value);
    if (!json_is_integer(value) || record < 1 || (size_t)record > out->records) {
        *bad = 1;
        return 0;
    }
    return (size_t)record;
}

static int read_outcome(json_t *line, sl_journal_contents *out);

/* A write sent: its rows are marked sent and, while they have no outcome, kept as sent. */
static int read_sent(json_t *line, sl_journal_contents *out)
{
    json_t *rows = json_object_get(line, "rows"), *row;
    size_t i;
    int bad = !json_is_array(rows);
    json_array_foreach(rows, i, row) {
        size_t record = record_of(json_object_get(row, "record"), out, &bad);
        if (!record)
            continue;
        if (!out->sent[record]) {
            out->sent[record] = 1;
            out->sent_count++;
        }
        if (out->outcomes[record].status == SL_STATUS_PENDING && read_outcome(row, out) != 0)
            bad = 1;
    }
    return bad ? -1 : 0;
}

/* The tracking numbers of a "a;b" cell. */
static int split_tracking(sl_row *row, const char *joined)
{
    if (!joined || !joined[0])
        return 0;
    size_t count = 1;
    for (const char *at = joined; *at; at++)
        count += *at == ';';
    row->tracking_numbers = calloc(count, sizeof(char *));
    if (!row->tracking_numbers)
        return -1;
    for (const char *at = joined;; at++) {
        size_t len = strcspn(at, ";");
        if (!(row->tracking_numbers[row->tracking_count] = strndup(at, len)))
            return -1;
        row->tracking_count++;
        at += len;
        if (!*at)
            return 0;
    }
}

static int read_outcome(json_t *line, sl_journal_contents *out)
{
    int bad = 0;
    size_t record = record_of(json_object_get(line, "record"), out, &bad);
    sl_status status;
    if (bad || lookup_status(json_string_value(json_object_get(line, "status")), &status) != 0)
        return -1;
    sl_row *row = &out->outcomes[record];
    if (row->status == SL_STATUS_PENDING && status != SL_STATUS_PENDING)
        out->outcome_count++;
    else if (row->status != SL_STATUS_PENDING && status == SL_STATUS_PENDING)
        return 0;   /* an outcome is never undone */
    sl_row_clear(row);
    sl_row_init(row);
    row->record = (uint32_t)record;     /* the journal's, written from a row's */
    row->line = (uint32_t)json_integer_value(json_object_get(line, "line"));
    row->status = status;
    row->code = lookup_code(json_string_value(json_object_get(line, "error_code")));
    row->http_status = (int)json_integer_value(json_object_get(line, "http_status"));
    row->notified = (int)json_integer_value(json_object_get(line, "notified"));
    if (sl_row_set_warnings(row, json_string_value(json_object_get(line, "warning")),
                            lookup_warnings(json_object_get(line, "warnings"))) != 0)
        return -1;
    static const struct { const char *key; size_t offset; sl_row_part in; } texts[] = {
        { "order_ref", offsetof(sl_row, order_ref), SL_ROW_PART_ROW },
        { "order_id", offsetof(sl_row, order_id), SL_ROW_PART_ROW },
        { "fulfillment_order_id", offsetof(sl_row, fulfillment_order_id), SL_ROW_PART_ROW },
        { "sku", offsetof(sl_row, sku), SL_ROW_PART_ROW },
        { "quantity", offsetof(sl_row_columns, quantity_text), SL_ROW_PART_COLUMNS },
        { "carrier", offsetof(sl_row, carrier), SL_ROW_PART_ROW },
        { "error_message", offsetof(sl_row, message), SL_ROW_PART_ROW },
        { "fulfillment_id", offsetof(sl_row, fulfillment_id), SL_ROW_PART_ROW },
        { "order_name", offsetof(sl_row, order_name), SL_ROW_PART_ROW },
        { "ship_date", offsetof(sl_row_columns, ship_date_text), SL_ROW_PART_COLUMNS },
        { "tracking_url", offsetof(sl_row_extra, tracking_url), SL_ROW_PART_EXTRA },
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const char *text = json_string_value(json_object_get(line, texts[i].key));
        if (!text)
            continue;
        char **slot = sl_row_part_slot(row, texts[i].in, texts[i].offset);
        if (!slot || sl_row_set(slot, text) != 0)
            return -1;
    }
    return split_tracking(row, json_string_value(json_object_get(line, "tracking_number")));
}

/* One line after the header: a write sent, or a row's outcome. */
static int read_entry(json_t *line, sl_journal_contents *out)
{
    if (json_object_get(line, "sent"))
        return read_sent(line, out);
    if (json_object_get(line, "record"))
        return read_outcome(line, out);
    return -1;
}

int sl_journal_read(const char *path, sl_journal_contents *out, sl_error *err)
{
    memset(out, 0, sizeof(*out));
    FILE *fp = fopen(path, "re");
    if (!fp)
        return sl_error_set(err, "cannot read %s: %s", path, strerror(errno));
    char *text = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&text, &cap, fp)) > 0) {
        int complete = text[len - 1] == '\n';
        json_error_t parse_error;
        json_t *line = json_loadb(text, (size_t)len, 0, &parse_error);
        out->lines++;
        if (!line && !complete) {   /* the last line, cut short by a crash: not there */
            out->torn_tail = 1;
            out->lines--;
            break;
        }
        if (!line)
            rc = sl_error_set(err, "%s: line %zu is not JSON: %s", path, out->lines,
                              parse_error.text);
        else if (out->lines == 1)
            rc = read_header(line, out, err);
        else if (read_entry(line, out) != 0)
            rc = sl_error_set(err, "%s: line %zu is not a journal entry of this run", path,
                              out->lines);
        json_decref(line);
    }
    if (rc == 0 && ferror(fp))
        rc = sl_error_set(err, "cannot read %s: %s", path, strerror(errno));
    if (rc == 0 && out->lines == 0)
        rc = sl_error_set(err, "%s is empty: not a shipload journal", path);
    free(text);
    fclose(fp);
    if (rc != 0)
        sl_journal_contents_clear(out);
    return rc;
}

void sl_journal_contents_clear(sl_journal_contents *contents)
{
    char **texts[] = { &contents->command, &contents->source, &contents->sha256_hex,
                       &contents->template_name, &contents->encoding, &contents->sheet,
                       &contents->platform, &contents->store };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        free(*texts[i]);
    for (size_t i = 0; i < contents->date_format_count; i++)
        free(contents->date_formats[i]);
    free(contents->date_formats);
    if (contents->outcomes)
        for (size_t r = 0; r <= contents->records; r++)
            sl_row_clear(&contents->outcomes[r]);
    free(contents->outcomes);
    free(contents->sent);
    memset(contents, 0, sizeof(*contents));
}
