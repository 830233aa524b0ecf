/* xlsx_book.c: the container side of an Excel workbook (.xlsx, Office Open XML). The source is
 * spooled to an unlinked temporary file (a zip's directory is at its end, and the source may be
 * standard input or gzipped), opened with libzip, and what every sheet needs is read: which
 * part holds the sheet asked for (the first, or --sheet NAME: xl/workbook.xml and its
 * relationships), the shared strings (xl/sharedStrings.xml, read with libxml2's streaming
 * reader, one <si> at a time), which cell styles are dates (xl/styles.xml: built-in number
 * formats 14-22, 27-36, 45-47, 50-58, or a custom format code with a day, month or year) and
 * the 1904 date system. Cells and rows are xlsx_reader.c's; nothing here parses a sheet. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <zip.h>
#include "input_internal.h"

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
                     XML_PARSE_NOCDATA | XML_PARSE_COMPACT)
#define PART_MAX ((zip_uint64_t)256 * 1024 * 1024)   /* a workbook part larger is refused */
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static int book_fail(char *why, size_t cap, const char *fmt, const char *detail)
{
    snprintf(why, cap, fmt, detail ? detail : "");
    return -1;
}

/* Copies the rest of the stream to an unlinked temporary file; its descriptor, or -1. */
static int spool(sl_stream *stream, char *why, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/shipload-xlsx-XXXXXX", dir && dir[0] ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return book_fail(why, cap, "cannot make a temporary file for the workbook: %s",
                         strerror(errno));
    unlink(path);
    char buffer[65536];
    sl_error err;
    ssize_t got;
    while ((got = sl_stream_read(stream, buffer, sizeof(buffer), &err)) > 0)
        for (ssize_t done = 0; done < got;) {
            ssize_t put = write(fd, buffer + done, (size_t)(got - done));
            if (put < 0 && errno == EINTR)
                continue;
            if (put <= 0) {
                close(fd);
                return book_fail(why, cap, "cannot write the workbook's temporary copy: %s",
                                 strerror(errno));
            }
            done += put;
        }
    if (got < 0) {
        close(fd);
        return book_fail(why, cap, "%s", err.message);
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

/* The whole of a part, NUL-terminated; NULL when absent (or too large: *too_large set). */
static char *read_part(zip_t *zip, const char *name, size_t *len, int *too_large)
{
    zip_stat_t st;
    *too_large = 0;
    if (zip_stat(zip, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return NULL;
    if (st.size > PART_MAX) {
        *too_large = 1;
        return NULL;
    }
    zip_file_t *file = zip_fopen(zip, name, 0);
    char *data = file ? malloc((size_t)st.size + 1) : NULL;
    zip_int64_t got = data ? zip_fread(file, data, st.size) : -1;
    if (file)
        zip_fclose(file);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(data);
        return NULL;
    }
    data[st.size] = '\0';
    *len = (size_t)st.size;
    return data;
}

static xmlDocPtr read_xml_part(zip_t *zip, const char *name)
{
    size_t len = 0;
    int too_large;
    char *data = read_part(zip, name, &len, &too_large);
    if (!data)
        return NULL;
    xmlDocPtr doc = xmlReadMemory(data, (int)len, name, NULL, XML_OPTIONS);
    free(data);
    return doc;
}

static int named(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

/* The first element named name among node's descendants (depth first), or NULL. */
static xmlNodePtr find_element(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr child = node ? node->children : NULL; child; child = child->next) {
        if (named(child, name))
            return child;
        xmlNodePtr deeper = find_element(child, name);
        if (deeper)
            return deeper;
    }
    return NULL;
}

/* ---- the sheet asked for ---- */

/* Sets book->sheet_part from the workbook and its relationships. */
static int find_sheet(xlsx_book *book, const char *wanted, char *why, size_t cap)
{
    xmlDocPtr workbook = read_xml_part(book->zip, "xl/workbook.xml");
    if (!workbook)
        return book_fail(why, cap, "not an Excel workbook (.xlsx): no readable "
                                   "xl/workbook.xml%s", NULL);
    xmlNodePtr root = xmlDocGetRootElement(workbook);
    xmlNodePtr pr = find_element(root, "workbookPr");
    xmlChar *date1904 = pr ? xmlGetProp(pr, BAD_CAST "date1904") : NULL;
    book->date1904 = date1904 && (strcmp((char *)date1904, "1") == 0 ||
                                  strcasecmp((char *)date1904, "true") == 0);
    xmlFree(date1904);
    xmlNodePtr sheets = find_element(root, "sheets");
    xmlChar *rel_id = NULL;
    char names[300] = "";
    for (xmlNodePtr sheet = sheets ? sheets->children : NULL; sheet; sheet = sheet->next) {
        if (!named(sheet, "sheet"))
            continue;
        xmlChar *name = xmlGetProp(sheet, BAD_CAST "name");
        size_t used = strlen(names);
        snprintf(names + used, sizeof(names) - used, "%s'%s'", used ? ", " : "",
                 name ? (char *)name : "");
        if (!rel_id && (!wanted || (name && strcmp((char *)name, wanted) == 0)))
            rel_id = xmlGetNsProp(sheet, BAD_CAST "id", BAD_CAST REL_NS);
        xmlFree(name);
    }
    xmlFreeDoc(workbook);
    if (!rel_id) {
        if (wanted) {
            char text[400];
            snprintf(text, sizeof(text), "the workbook has no sheet named '%s' (it has %s)",
                     wanted, names[0] ? names : "none");
            return book_fail(why, cap, "%s", text);
        }
        return book_fail(why, cap, "the workbook has no sheet%s", NULL);
    }
    xmlDocPtr rels = read_xml_part(book->zip, "xl/_rels/workbook.xml.rels");
    xmlNodePtr rel = rels ? xmlDocGetRootElement(rels)->children : NULL;
    for (; rel && !book->sheet_part; rel = rel->next) {
        xmlChar *id = named(rel, "Relationship") ? xmlGetProp(rel, BAD_CAST "Id") : NULL;
        xmlChar *target = id && strcmp((char *)id, (char *)rel_id) == 0
                              ? xmlGetProp(rel, BAD_CAST "Target") : NULL;
        if (target) {
            size_t len = strlen((char *)target) + 4;
            book->sheet_part = malloc(len);
            if (book->sheet_part && target[0] == '/')
                snprintf(book->sheet_part, len, "%s", (char *)target + 1);
            else if (book->sheet_part)
                snprintf(book->sheet_part, len, "xl/%s", (char *)target);
        }
        xmlFree(target);
        xmlFree(id);
    }
    if (rels)
        xmlFreeDoc(rels);
    xmlFree(rel_id);
    if (!book->sheet_part)
        return book_fail(why, cap, "the workbook names a sheet it does not hold%s", NULL);
    return 0;
}

/* ---- styles: which are dates ---- */

static int builtin_date_format(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A format code with a year, a day, or a month without hours or seconds (outside quoted
 * text, [brackets] and escaped characters). */
static int date_format_code(const char *code)
{
    int year_or_day = 0, month = 0, time = 0;
    for (const char *c = code; *c; c++) {
        if (*c == '"') {
            while (c[1] && c[1] != '"')
                c++;
            c += c[1] != '\0';
        } else if (*c == '[') {
            while (c[1] && c[1] != ']')
                c++;
        } else if (*c == '\\' || *c == '_' || *c == '*') {
            c += c[1] != '\0';
        } else if (*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D') {
            year_or_day = 1;
        } else if (*c == 'm' || *c == 'M') {
            month = 1;
        } else if (*c == 'h' || *c == 'H' || *c == 's' || *c == 'S') {
            time = 1;
        }
    }
    return year_or_day || (month && !time);
}

static void read_styles(xlsx_book *book)
{
    xmlDocPtr styles = read_xml_part(book->zip, "xl/styles.xml");
    if (!styles)
        return;
    xmlNodePtr root = xmlDocGetRootElement(styles);
    long custom_ids[256];
    int custom_dates[256];
    size_t custom_count = 0;
    xmlNodePtr formats = find_element(root, "numFmts");
    for (xmlNodePtr f = formats ? formats->children : NULL; f && custom_count < 256; f = f->next) {
        if (!named(f, "numFmt"))
            continue;
        xmlChar *id = xmlGetProp(f, BAD_CAST "numFmtId");
        xmlChar *code = xmlGetProp(f, BAD_CAST "formatCode");
        custom_ids[custom_count] = id ? strtol((char *)id, NULL, 10) : -1;
        custom_dates[custom_count++] = code && date_format_code((char *)code);
        xmlFree(id);
        xmlFree(code);
    }
    xmlNodePtr xfs = find_element(root, "cellXfs");
    size_t count = 0;
    for (xmlNodePtr xf = xfs ? xfs->children : NULL; xf; xf = xf->next)
        count += named(xf, "xf");
    book->date_styles = calloc(count ? count : 1, 1);
    for (xmlNodePtr xf = xfs ? xfs->children : NULL; xf && book->date_styles; xf = xf->next) {
        if (!named(xf, "xf"))
            continue;
        xmlChar *id_text = xmlGetProp(xf, BAD_CAST "numFmtId");
        long id = id_text ? strtol((char *)id_text, NULL, 10) : 0;
        xmlFree(id_text);
        int is_date = builtin_date_format(id);
        for (size_t i = 0; i < custom_count; i++)
            if (custom_ids[i] == id)
                is_date = custom_dates[i];
        book->date_styles[book->style_count++] = (unsigned char)is_date;
    }
    xmlFreeDoc(styles);
}

/* ---- shared strings ---- */

/* Appends the text of node's <t> descendants (not those of phonetic runs, <rPh>) to buf. */
int sl_xlsx_inline_text(xmlNodePtr node, xmlBufferPtr buf)
{
    for (xmlNodePtr child = node->children; child; child = child->next) {
        if (child->type != XML_ELEMENT_NODE || strcmp((const char *)child->name, "rPh") == 0)
            continue;
        if (strcmp((const char *)child->name, "t") == 0) {
            xmlChar *text = xmlNodeGetContent(child);
            int rc = text ? xmlBufferCat(buf, text) : 0;
            xmlFree(text);
            if (rc != 0)
                return -1;
        } else if (sl_xlsx_inline_text(child, buf) != 0) {
            return -1;
        }
    }
    return 0;
}

/* Appends a shared string to the one block that holds them all (no allocation per string). */
static int add_shared(xlsx_book *book, const char *text)
{
    size_t len = strlen(text) + 1;
    if (book->shared_count == book->shared_cap) {
        size_t cap = book->shared_cap ? book->shared_cap * 2 : 1024;
        size_t *grown = realloc(book->shared, cap * sizeof(size_t));
        if (!grown)
            return -1;
        book->shared = grown;
        book->shared_cap = cap;
    }
    if (book->shared_len + len > book->shared_bytes_cap) {
        size_t cap = book->shared_bytes_cap ? book->shared_bytes_cap : 65536;
        while (cap < book->shared_len + len)
            cap *= 2;
        char *grown = realloc(book->shared_bytes, cap);
        if (!grown)
            return -1;
        book->shared_bytes = grown;
        book->shared_bytes_cap = cap;
    }
    memcpy(book->shared_bytes + book->shared_len, text, len);
    book->shared[book->shared_count++] = book->shared_len;
    book->shared_len += len;
    return 0;
}

int sl_xlsx_part_read(void *context, char *buffer, int len)
{
    zip_int64_t got = zip_fread((zip_file_t *)context, buffer, (zip_uint64_t)len);
    return got < 0 ? -1 : (int)got;
}

int sl_xlsx_part_close(void *context)
{
    (void)context;
    return 0;   /* the zip_file_t is closed by its owner */
}

/* Streams xl/sharedStrings.xml (decompressed as the reader asks), one <si> at a time. */
static int read_shared_strings(xlsx_book *book, char *why, size_t cap)
{
    zip_file_t *part = zip_fopen(book->zip, "xl/sharedStrings.xml", 0);
    if (!part)
        return 0;   /* a workbook without text has none */
    xmlTextReaderPtr reader = xmlReaderForIO(sl_xlsx_part_read, sl_xlsx_part_close, part,
                                             NULL, NULL, XML_OPTIONS);
    xmlBufferPtr buf = xmlBufferCreate();
    int rc = reader && buf ? 0 : -1;
    int at = rc == 0 ? xmlTextReaderRead(reader) : 0;
    while (rc == 0 && at == 1) {
        if (xmlTextReaderNodeType(reader) != XML_READER_TYPE_ELEMENT ||
            strcmp((const char *)xmlTextReaderConstLocalName(reader), "si") != 0) {
            at = xmlTextReaderRead(reader);
            continue;
        }
        xmlNodePtr si = xmlTextReaderExpand(reader);
        xmlBufferEmpty(buf);
        if (!si || sl_xlsx_inline_text(si, buf) != 0 ||
            add_shared(book, (const char *)xmlBufferContent(buf)) != 0)
            rc = -1;
        at = xmlTextReaderNext(reader);   /* already on the next node: not read again */
    }
    if (buf)
        xmlBufferFree(buf);
    if (reader)
        xmlFreeTextReader(reader);
    zip_fclose(part);
    return rc == 0 ? 0 : book_fail(why, cap, "cannot read the workbook's shared strings%s", NULL);
}

/* ---- open and close ---- */

int sl_xlsx_book_open(xlsx_book *book, sl_stream *stream, const char *sheet, char *why, size_t cap)
{
    memset(book, 0, sizeof(*book));
    int fd = spool(stream, why, cap);
    if (fd < 0)
        return -1;
    int zip_error = 0;
    book->zip = zip_fdopen(fd, 0, &zip_error);
    if (!book->zip) {
        close(fd);
        zip_error_t error;
        zip_error_init_with_code(&error, zip_error);
        book_fail(why, cap, "not a readable .xlsx workbook (zip: %s)", zip_error_strerror(&error));
        zip_error_fini(&error);
        return -1;
    }
    if (find_sheet(book, sheet, why, cap) != 0 || read_shared_strings(book, why, cap) != 0)
        return -1;
    read_styles(book);
    return 0;
}

const char *sl_xlsx_book_shared(const xlsx_book *book, const char *index_text)
{
    char *end;
    unsigned long index = strtoul(index_text, &end, 10);
    return end != index_text && index < book->shared_count
               ? book->shared_bytes + book->shared[index] : NULL;
}

int sl_xlsx_book_style_is_date(const xlsx_book *book, const char *style_text)
{
    if (!style_text)
        return 0;
    unsigned long style = strtoul(style_text, NULL, 10);
    return style < book->style_count && book->date_styles[style];
}

void sl_xlsx_book_close(xlsx_book *book)
{
    if (book->zip)
        zip_discard(book->zip);
    free(book->shared);
    free(book->shared_bytes);
    free(book->date_styles);
    free(book->sheet_part);
    memset(book, 0, sizeof(*book));
}
