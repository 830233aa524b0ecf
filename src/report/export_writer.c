/* export_writer.c: writes an export in its layout: CSV (one row per package item still to
 * ship, cells quoted by libcsv where they need it, the formula guard on by default) or XML
 * (libxml2's xmlTextWriter: one record element per package holding one item element per line).
 * Where the bytes go, gzip and the rename into place are export_output.c's; what the values are
 * is export_fields.c's; which items are exported is decided before (src/api/export_select.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#include <libxml/xmlwriter.h>
#include "export_output.h"
#include "shipload/export.h"

struct sl_export_writer {
    const sl_export_layout *layout;
    export_output out;
    xmlTextWriterPtr xml;
    char *row;                  /* the CSV row being built */
    size_t row_len, row_cap;
    size_t rows, packages;
    int finished;
    char value_buf[1024];
};

/* ---- CSV ---- */

static int row_reserve(sl_export_writer *writer, size_t extra)
{
    if (writer->row_len + extra <= writer->row_cap)
        return 0;
    size_t cap = writer->row_cap ? writer->row_cap : 1024;
    while (cap < writer->row_len + extra)
        cap *= 2;
    char *grown = realloc(writer->row, cap);
    if (!grown)
        return -1;
    writer->row = grown;
    writer->row_cap = cap;
    return 0;
}

static int row_append(sl_export_writer *writer, const char *data, size_t len)
{
    if (row_reserve(writer, len) != 0)
        return -1;
    memcpy(writer->row + writer->row_len, data, len);
    writer->row_len += len;
    return 0;
}

static int needs_quotes(const char *value, size_t len, char delimiter)
{
    if (len && (value[0] == ' ' || value[len - 1] == ' '))
        return 1;
    for (size_t i = 0; i < len; i++)
        if (value[i] == delimiter || value[i] == '"' || value[i] == '\r' || value[i] == '\n')
            return 1;
    return 0;
}

static int formula_like(const char *value)
{
    return value[0] && strchr("=+-@\t\r", value[0]) != NULL;
}

/* One cell, with its leading delimiter unless it is the first; guard: apply the formula guard
 * (values, not the template's own header names). */
static int append_cell(sl_export_writer *writer, const char *value, int first, int guard)
{
    const sl_export_layout *layout = writer->layout;
    if (!first && row_append(writer, &layout->delimiter, 1) != 0)
        return -1;
    char *guarded = NULL;
    char short_guarded[256];
    if (guard && layout->formula_guard && formula_like(value)) {
        size_t value_len = strlen(value);
        if (value_len + 2 <= sizeof(short_guarded)) {
            short_guarded[0] = '\'';
            memcpy(short_guarded + 1, value, value_len + 1);
            value = short_guarded;
        } else if (asprintf(&guarded, "'%s", value) < 0) {
            return -1;
        } else {
            value = guarded;
        }
    }
    size_t len = strlen(value);
    int rc = 0;
    if (!needs_quotes(value, len, layout->delimiter))
        rc = row_append(writer, value, len);
    else if ((rc = row_reserve(writer, 2 * len + 2)) == 0)
        writer->row_len += csv_write2(writer->row + writer->row_len, 2 * len + 2, value, len,
                                      '"');
    free(guarded);
    return rc;
}

static int end_row(sl_export_writer *writer)
{
    const char *end = writer->layout->crlf ? "\r\n" : "\n";
    if (row_append(writer, end, strlen(end)) != 0)
        return -1;
    int rc = sl_export_output_write(&writer->out, writer->row, writer->row_len);
    writer->row_len = 0;
    return rc;
}

static int csv_header(sl_export_writer *writer)
{
    const sl_export_layout *layout = writer->layout;
    if (!layout->header)
        return 0;
    for (size_t i = 0; i < layout->column_count; i++)
        if (append_cell(writer, layout->columns[i].name, i == 0, 0) != 0)
            return -1;
    return end_row(writer);
}

static const char *column_value(sl_export_writer *writer, const sl_export_column *column,
                                const sl_order *order, const sl_unit *package,
                                const sl_export_line *line)
{
    if (column->field < 0)
        return column->constant ? column->constant : "";
    return sl_export_field_value((sl_export_field)column->field, order, package, line,
                                 writer->value_buf, sizeof(writer->value_buf));
}

static int csv_add(sl_export_writer *writer, const sl_order *order, const sl_unit *package,
                   const sl_export_line *lines, size_t count)
{
    const sl_export_layout *layout = writer->layout;
    for (size_t l = 0; l < count; l++) {
        for (size_t i = 0; i < layout->column_count; i++)
            if (append_cell(writer, column_value(writer, &layout->columns[i], order, package,
                                                 &lines[l]), i == 0, 1) != 0)
                return -1;
        if (end_row(writer) != 0)
            return -1;
    }
    return 0;
}

/* ---- XML ---- */

static int xml_write_callback(void *context, const char *buffer, int len)
{
    export_output *out = context;
    return sl_export_output_write(out, buffer, (size_t)len) == 0 ? len : -1;
}

static int xml_close_callback(void *context)
{
    (void)context;
    return 0;
}

static int xml_start(sl_export_writer *writer)
{
    xmlOutputBufferPtr buffer = xmlOutputBufferCreateIO(xml_write_callback, xml_close_callback,
                                                        &writer->out, NULL);
    if (!buffer || !(writer->xml = xmlNewTextWriter(buffer))) {
        if (buffer)
            xmlOutputBufferClose(buffer);
        return -1;
    }
    xmlTextWriterSetIndent(writer->xml, 1);
    xmlTextWriterSetIndentString(writer->xml, BAD_CAST "  ");
    if (xmlTextWriterStartDocument(writer->xml, NULL, "UTF-8", NULL) < 0 ||
        xmlTextWriterStartElement(writer->xml, BAD_CAST writer->layout->xml_root) < 0)
        return -1;
    return 0;
}

/* The attributes (names starting with '@') first, then the child elements. */
static int xml_columns(sl_export_writer *writer, const sl_export_column *columns, size_t count,
                       const sl_order *order, const sl_unit *package,
                       const sl_export_line *line)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < count; i++) {
            const char *name = columns[i].name;
            int attribute = name[0] == '@';
            if (attribute != (pass == 0))
                continue;
            const char *value = column_value(writer, &columns[i], order, package, line);
            int rc = attribute ? xmlTextWriterWriteAttribute(writer->xml, BAD_CAST(name + 1),
                                                             BAD_CAST value)
                               : xmlTextWriterWriteElement(writer->xml, BAD_CAST name,
                                                           BAD_CAST value);
            if (rc < 0)
                return -1;
        }
    return 0;
}

static int xml_add(sl_export_writer *writer, const sl_order *order, const sl_unit *package,
                   const sl_export_line *lines, size_t count)
{
    const sl_export_layout *layout = writer->layout;
    if (xmlTextWriterStartElement(writer->xml, BAD_CAST layout->xml_record) < 0 ||
        xml_columns(writer, layout->columns, layout->column_count, order, package, &lines[0]))
        return -1;
    for (size_t l = 0; l < count; l++)
        if (xmlTextWriterStartElement(writer->xml, BAD_CAST layout->xml_item) < 0 ||
            xml_columns(writer, layout->item_columns, layout->item_column_count, order,
                        package, &lines[l]) != 0 ||
            xmlTextWriterEndElement(writer->xml) < 0)
            return -1;
    return xmlTextWriterEndElement(writer->xml) < 0 ? -1 : 0;
}

/* ---- the writer ---- */

static int write_failed(sl_export_writer *writer, sl_error *err)
{
    const char *name = writer->out.final_path ? writer->out.final_path : "standard output";
    if (writer->out.failed)
        return sl_error_set(err, "%s: write failed: %s", name, writer->out.error);
    return sl_error_set(err, "%s: cannot write the export (out of memory)", name);
}

sl_export_writer *sl_export_writer_new(const sl_export_layout *layout, const char *path,
                                       sl_error *err)
{
    sl_export_writer *writer = calloc(1, sizeof(*writer));
    if (!writer) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    writer->layout = layout;
    if (sl_export_output_open(&writer->out, path, err) != 0) {
        free(writer);
        return NULL;
    }
    int rc = layout->format == SL_EXPORT_FORMAT_XML ? xml_start(writer) : csv_header(writer);
    if (rc != 0) {
        write_failed(writer, err);
        sl_export_writer_free(writer);
        return NULL;
    }
    return writer;
}

int sl_export_writer_add(sl_export_writer *writer, const sl_order *order,
                         const sl_unit *package, const sl_export_line *lines, size_t count,
                         sl_error *err)
{
    if (count == 0)
        return 0;
    int rc = writer->layout->format == SL_EXPORT_FORMAT_XML
                 ? xml_add(writer, order, package, lines, count)
                 : csv_add(writer, order, package, lines, count);
    if (rc != 0)
        return write_failed(writer, err);
    writer->rows += count;
    writer->packages++;
    return 0;
}

int sl_export_writer_finish(sl_export_writer *writer, sl_error *err)
{
    if (writer->xml) {
        int rc = xmlTextWriterEndDocument(writer->xml);
        xmlFreeTextWriter(writer->xml);   /* flushes into the output */
        writer->xml = NULL;
        if (rc < 0 || writer->out.failed)
            return write_failed(writer, err);
    }
    if (sl_export_output_commit(&writer->out, err) != 0)
        return -1;
    writer->finished = 1;
    return 0;
}

void sl_export_writer_free(sl_export_writer *writer)
{
    if (!writer)
        return;
    if (writer->xml)
        xmlFreeTextWriter(writer->xml);
    sl_export_output_close(&writer->out);
    free(writer->row);
    free(writer);
}

size_t sl_export_writer_rows(const sl_export_writer *writer)
{
    return writer->rows;
}

size_t sl_export_writer_packages(const sl_export_writer *writer)
{
    return writer->packages;
}
