/* test_report_util.h: helpers shared by the report module's unit tests: a scratch directory,
 * reading a report file whole, parsing it back with libcsv, building rows and records. */
#ifndef SHIPLOAD_TEST_REPORT_UTIL_H
#define SHIPLOAD_TEST_REPORT_UTIL_H

#include <check.h>
#include <csv.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shipload/record.h"
#include "shipload/report.h"
#include "shipload/row.h"

static inline char *make_scratch_dir(void)
{
    char template_path[] = "/tmp/shipload-report-test-XXXXXX";
    char *dir = mkdtemp(template_path);
    ck_assert_ptr_nonnull(dir);
    return strdup(dir);
}

static inline void remove_tree(const char *dir)
{
    char command[1024];
    snprintf(command, sizeof(command), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(command), 0);
}

static inline char *path_in(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    snprintf(path, len, "%s/%s", dir, name);
    return path;
}

/* The whole file (NUL-terminated; *len_out gets the byte count), or NULL if it is missing. */
static inline char *slurp(const char *dir, const char *name, size_t *len_out)
{
    char *path = path_in(dir, name);
    FILE *fp = fopen(path, "rb");
    free(path);
    if (!fp)
        return NULL;
    size_t cap = 4096, len = 0;
    char *data = malloc(cap);
    size_t got;
    while ((got = fread(data + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (cap - len < 2)
            data = realloc(data, cap *= 2);
    }
    fclose(fp);
    data[len] = '\0';
    if (len_out)
        *len_out = len;
    return data;
}

/* Number of entries in dir whose names start with '.' (temporary files), "." and ".." aside. */
static inline int hidden_entries(const char *dir)
{
    DIR *listing = opendir(dir);
    ck_assert_ptr_nonnull(listing);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(listing)))
        if (entry->d_name[0] == '.' && strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
            count++;
    closedir(listing);
    return count;
}

/* ---- parsing a report back with libcsv: cells[row][column] ---- */

#define PARSED_MAX_ROWS 64
#define PARSED_MAX_COLUMNS 32

typedef struct parsed_csv {
    int rows;
    int columns[PARSED_MAX_ROWS];
    char *cells[PARSED_MAX_ROWS][PARSED_MAX_COLUMNS];
} parsed_csv;

static inline void parsed_cell(void *data, size_t len, void *user)
{
    parsed_csv *parsed = user;
    int row = parsed->rows, column = parsed->columns[row];
    ck_assert_int_lt(row, PARSED_MAX_ROWS);
    ck_assert_int_lt(column, PARSED_MAX_COLUMNS);
    char *cell = malloc(len + 1);
    memcpy(cell, data ? data : "", len);
    cell[len] = '\0';
    parsed->cells[row][column] = cell;
    parsed->columns[row]++;
}

static inline void parsed_row_end(int terminator, void *user)
{
    (void)terminator;
    ((parsed_csv *)user)->rows++;
}

static inline void parse_csv(const char *text, size_t len, char delimiter, parsed_csv *parsed)
{
    struct csv_parser parser;
    memset(parsed, 0, sizeof(*parsed));
    ck_assert_int_eq(csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL), 0);
    csv_set_delim(&parser, (unsigned char)delimiter);
    ck_assert_uint_eq(csv_parse(&parser, text, len, parsed_cell, parsed_row_end, parsed), len);
    ck_assert_int_eq(csv_fini(&parser, parsed_cell, parsed_row_end, parsed), 0);
    csv_free(&parser);
}

static inline void parsed_free(parsed_csv *parsed)
{
    for (int row = 0; row < PARSED_MAX_ROWS; row++)
        for (int column = 0; column < PARSED_MAX_COLUMNS; column++)
            free(parsed->cells[row][column]);
}

/* ---- rows and records ---- */

static inline void row_fill(sl_row *row, size_t record, const char *order_ref, const char *sku,
                     const char *quantity, const char *tracking, sl_status status, sl_code code,
                     const char *message)
{
    sl_row_init(row);
    row->record = record;
    row->line = record + 1;
    sl_row_set(&row->order_ref, order_ref);
    sl_row_set(&row->sku, sku);
    sl_row_set(&sl_row_own_columns(row)->quantity_text, quantity);
    if (tracking) {
        row->tracking_numbers = calloc(1, sizeof(char *));
        row->tracking_numbers[0] = strdup(tracking);
        row->tracking_count = 1;
    }
    row->status = status;
    row->code = code;
    sl_row_set(&row->message, message);
}

/* A record borrowing the given strings (NUL-terminated). */
typedef struct test_record {
    sl_record record;
    char *fields[PARSED_MAX_COLUMNS];
    size_t lengths[PARSED_MAX_COLUMNS];
} test_record;

static inline const sl_record *record_of(test_record *holder, size_t number, const char *const *values,
                                  size_t count)
{
    memset(holder, 0, sizeof(*holder));
    for (size_t i = 0; i < count; i++) {
        holder->fields[i] = (char *)values[i];
        holder->lengths[i] = strlen(values[i]);
    }
    holder->record.number = number;
    holder->record.line = number + 1;
    holder->record.field_count = count;
    holder->record.expected_fields = count;
    holder->record.fields = holder->fields;
    holder->record.lengths = holder->lengths;
    return &holder->record;
}

static inline sl_report *open_report_in(const char *dir, const char *command, int excel, int dry_run)
{
    sl_error err = { "" };
    sl_report_options options = { .dir = dir, .command = command, .excel_bom = excel,
                                  .dry_run = dry_run };
    sl_report *report = sl_report_open(&options, &err);
    ck_assert_msg(report != NULL, "sl_report_open: %s", err.message);
    return report;
}

static inline void close_report(sl_report *report, const sl_report_input *input)
{
    sl_error err = { "" };
    ck_assert_msg(sl_report_close(report, input, &err) == 0, "sl_report_close: %s", err.message);
}

#endif
