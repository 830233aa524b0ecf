/* xml_reader.c: XML records from a stream with libxml2's push parser building a tree. A record
 * (an element with the record's local name, and namespace when one is given) is queued the
 * moment libxml2 parses its end tag, so a record complete before a malformed part is never lost,
 * however libxml2 buffers; each queued record has its columns evaluated as XPath expressions
 * relative to it (or, with an item path, one record per selected item: item columns relative
 * to the item, the others relative to the record), then it and everything before it is freed:
 * memory does not grow with the file. No network, no external entities, no DTD loading, no
 * entity substitution; a DOCTYPE declaring entities is refused, naming them (and libxml2's own
 * limits stop entity bombs). A malformed document ends with an error naming its line, after
 * the records complete before it. libxml2 is fed whole UTF-8 characters only, wherever the
 * source's reads or inflate blocks end. Invalid UTF-8 in text or attribute values makes only
 * its record bad_encoding (libxml2 alone would refuse the whole document). An XML declaration
 * of ISO-8859-1 or windows-1252 is followed when no encoding was given. Knows no templates or
 * canonical fields. */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "input_internal.h"
#include "shipload/utf8.h"

/* Not XML_PARSE_NOENT (entities stay references), not XML_PARSE_DTDLOAD, not XML_PARSE_HUGE
 * (libxml2's limits refuse entity bombs and giant nodes). Errors go to on_parse_error. */
#define XML_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES | \
                           XML_PARSE_NOCDATA)
#define DECLARATION_PEEK 1024

typedef struct xml_column {
    xmlXPathCompExprPtr expr;
    int item_level;
} xml_column;

typedef struct xml_reader {
    sl_reader base;            /* first: the reader is handed out as an sl_reader */
    xmlParserCtxtPtr parser;   /* push parser; its _private points back here */
    endElementNsSAX2Func tree_end_element;   /* libxml2's own, called first */
    externalSubsetSAXFunc tree_external_subset;
    xmlXPathContextPtr xpath;  /* namespaces registered; node set per evaluation */
    char *record_name;
    char *record_namespace;
    char *default_namespace;   /* elements in it lose their namespace before the XPaths run */
    xmlXPathCompExprPtr item_expr;
    xml_column *columns;
    size_t column_count;
    record_builder row;        /* the record handed out */
    record_builder shared;     /* the current record's record-level values */
    xmlNodePtr *queue;         /* records whose end tag was parsed, in document order */
    size_t queue_at, queue_len, queue_cap;
    int queue_failed;          /* the queue could not grow */
    xmlNodePtr record_node;    /* the record being turned into rows, or NULL */
    xmlXPathObjectPtr items;   /* its item nodes */
    size_t item_count;
    size_t item_next;
    int parse_done;            /* the parser was told the end, or failed, or was stopped */
    int parse_failed;
    char entities[200];        /* the entities a DOCTYPE declared (refused), comma-separated */
    char stream_error[sizeof(((sl_error *)0)->message)];    /* why the stream stopped, when it did */
    char parse_error[300];     /* libxml2's first error */
    int parse_error_line;
    char *raw;                 /* bytes read from the stream; raw_carry of them wait at the start
                                  (a UTF-8 sequence that the next read completes) */
    size_t raw_carry;
    char *feed;                /* raw bytes with invalid UTF-8 marked, handed to libxml2 */
} xml_reader;

/* Raw bytes per parse: small enough that the records one chunk completes stay few. */
#define FEED_SIZE (16 * 1024)
/* libxml2 refuses a whole document for one invalid UTF-8 byte. Each such byte is fed as the
 * pair U+FDD0 U+FDD1 (noncharacters, valid in XML text and attribute values, never in names)
 * and a legitimate U+FDD0 as U+FDD0 U+FDD0, so the escape cannot be confused with the input; a
 * value gets the invalid byte (or the U+FDD0) back, and only the record holding an invalid byte
 * becomes bad_encoding (shown as U+FFFD in the reports). */
static const char escape_mark[] = "\xEF\xB7\x90";        /* U+FDD0 */
static const char escaped_invalid[] = "\xEF\xB7\x91";    /* U+FDD1, after the mark */
#define MARK_LEN 3
#define FEED_EXPANSION (2 * MARK_LEN)   /* most feed bytes per raw byte */
#define INVALID_BYTE '\xFF'

/* ---- libxml2 callbacks ---- */

/* How many bytes at the end of data[0..len) start a UTF-8 sequence that the next read may
 * complete (0 to 3). */
static size_t incomplete_tail(const char *data, size_t len)
{
    for (size_t back = 1; back <= 3 && back <= len; back++) {
        unsigned char c = (unsigned char)data[len - back];
        if (c < 0x80)
            return 0;
        if (c >= 0xC0) {   /* a lead byte: incomplete when it wants more than what follows */
            size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            return want > back ? back : 0;
        }
    }
    return 0;
}

static int is_escape_mark(const char *at, size_t left)
{
    return left >= MARK_LEN && memcmp(at, escape_mark, MARK_LEN) == 0;
}

/* Copies raw[0..len) to feed with every invalid byte and every U+FDD0 escaped; the new length.
 * Valid runs are copied whole. */
static size_t mark_invalid_utf8(const char *raw, size_t len, char *feed)
{
    size_t used = 0, run = 0, at = 0;
    while (at < len) {
        if ((unsigned char)raw[at] < 0x80) {
            at++;
            continue;
        }
        size_t step = sl_utf8_sequence_length(raw + at, len - at);
        if (step > 0 && !is_escape_mark(raw + at, len - at)) {
            at += step;
            continue;
        }
        memcpy(feed + used, raw + run, at - run);
        used += at - run;
        memcpy(feed + used, escape_mark, MARK_LEN);
        memcpy(feed + used + MARK_LEN, step > 0 ? escape_mark : escaped_invalid, MARK_LEN);
        used += 2 * MARK_LEN;
        at += step > 0 ? step : 1;
        run = at;
    }
    memcpy(feed + used, raw + run, len - run);
    return used + (len - run);
}

/* Reads the next block of the stream into the feed: its length, 0 at the end (or on a stream
 * error, kept in stream_error: an end for libxml2, so the records before come out). Only whole
 * characters are fed: an incomplete sequence at the end waits for the next read. */
static size_t refill_feed(xml_reader *r)
{
    for (;;) {
        sl_error err;
        ssize_t n = sl_stream_read(r->base.stream, r->raw + r->raw_carry, FEED_SIZE, &err);
        if (n < 0) {
            snprintf(r->stream_error, sizeof(r->stream_error), "%s", err.message);
            n = 0;
        }
        size_t have = r->raw_carry + (size_t)n;
        size_t ready = n == 0 ? have : have - incomplete_tail(r->raw, have);
        size_t fed = mark_invalid_utf8(r->raw, ready, r->feed);
        memmove(r->raw, r->raw + ready, have - ready);
        r->raw_carry = have - ready;
        if (fed > 0 || n == 0)
            return fed;
    }
}

static void on_parse_error(void *arg, xmlErrorPtr error)
{
    xmlParserCtxtPtr parser = arg;
    xml_reader *r = parser->_private;
    if (!error || error->level < XML_ERR_ERROR || r->parse_error[0])
        return;
    snprintf(r->parse_error, sizeof(r->parse_error), "%s",
             error->message ? error->message : "unknown error");
    size_t len = strlen(r->parse_error);
    while (len > 0 && (r->parse_error[len - 1] == '\n' || r->parse_error[len - 1] == ' '))
        r->parse_error[--len] = '\0';
    r->parse_error_line = error->line;
    if (parser->input && parser->input->line > r->parse_error_line)
        r->parse_error_line = parser->input->line;   /* an entity's error gives its own line */
}

static void ignore_xpath_error(void *arg, xmlErrorPtr error)
{
    (void)arg;
    (void)error;   /* a failed evaluation is reported by its NULL result */
}

/* ---- errors ---- */

static int fail_document(xml_reader *r)
{
    size_t records = r->base.records_read;
    const char *plural = records == 1 ? "" : "s";
    if (r->entities[0])
        return sl_reader_fail(&r->base, "the document declares entities in its DOCTYPE (%s), "
                           "which shipload refuses to expand (after %zu record%s)", r->entities, records, plural);
    if (r->queue_failed)
        return sl_reader_fail(&r->base, "out of memory (after %zu record%s)", records, plural);
    if (r->stream_error[0])
        return sl_reader_fail(&r->base, "%s after %zu record%s", r->stream_error, records, plural);
    if (r->parse_error[0])
        return sl_reader_fail(&r->base, "malformed XML at line %d: %s (after %zu record%s)",
                           r->parse_error_line, r->parse_error, records, plural);
    return sl_reader_fail(&r->base, "malformed XML near line %d (after %zu record%s)",
                       r->parser->input ? r->parser->input->line : 0, records, plural);
}

/* ---- evaluating columns ---- */

/* Undoes mark_invalid_utf8's escapes in text (in place); the new length. */
static size_t unmark_invalid_utf8(char *text, size_t len)
{
    char *mark = memmem(text, len, escape_mark, MARK_LEN);
    if (!mark)
        return len;
    size_t used = (size_t)(mark - text);
    for (size_t at = used; at < len;) {
        if (is_escape_mark(text + at, len - at) && len - at >= 2 * MARK_LEN) {
            if (memcmp(text + at + MARK_LEN, escaped_invalid, MARK_LEN) == 0) {
                text[used++] = INVALID_BYTE;
            } else {
                memmove(text + used, escape_mark, MARK_LEN);
                used += MARK_LEN;
            }
            at += 2 * MARK_LEN;
        } else {
            text[used++] = text[at++];
        }
    }
    text[used] = '\0';
    return used;
}

/* Appends the string value of expr at node to builder. -1 when it cannot be evaluated. */
static int add_value(xml_reader *r, record_builder *builder, xmlXPathCompExprPtr expr,
                     xmlNodePtr node)
{
    r->xpath->doc = node->doc;
    r->xpath->node = node;
    xmlXPathObjectPtr result = xmlXPathCompiledEval(expr, r->xpath);
    if (!result)
        return -1;
    xmlChar *text = NULL;
    if (result->type == XPATH_NODESET) {
        if (result->nodesetval && result->nodesetval->nodeNr > 0)
            text = xmlXPathCastNodeToString(result->nodesetval->nodeTab[0]);
    } else {
        text = xmlXPathCastToString(result);
    }
    size_t len = text ? strlen((const char *)text) : 0;
    if (text)
        len = unmark_invalid_utf8((char *)text, len);
    int rc = record_builder_add(builder, text ? (const char *)text : "", len);
    xmlFree(text);
    xmlXPathFreeObject(result);
    return rc == 0 ? 0 : -2;
}

static int column_error(xml_reader *r, size_t column, int rc)
{
    if (rc == -2)
        return sl_reader_fail(&r->base, "out of memory (after %zu record%s)", r->base.records_read,
                           r->base.records_read == 1 ? "" : "s");
    return sl_reader_fail(&r->base, "the XPath of column '%s' cannot be evaluated (an undefined "
                       "namespace prefix or function?)", r->base.header.names[column]);
}

/* The record-level values of the current record (item columns left empty). */
static int evaluate_shared(xml_reader *r)
{
    sl_record_builder_reset(&r->shared);
    for (size_t i = 0; i < r->column_count; i++) {
        int rc;
        if (r->columns[i].item_level && r->item_expr)   /* filled per item */
            rc = record_builder_add(&r->shared, "", 0) == 0 ? 0 : -2;
        else
            rc = add_value(r, &r->shared, r->columns[i].expr, r->record_node);
        if (rc != 0)
            return column_error(r, i, rc);
    }
    sl_record_builder_finish(&r->shared);
    return 0;
}

/* The line an element starts on. libxml2 keeps element lines only up to 65535; past that, with
 * XML_PARSE_BIG_LINES, a text node remembers the line where it ended: the text before the
 * element ends where the element starts; else its first text child, less the newlines inside
 * it, gives the line its start tag ends on. */
static size_t element_line(xmlNodePtr node)
{
    if (node->line < 65535)
        return node->line;
    for (xmlNodePtr before = node->prev; before; before = before->prev)
        if (before->type == XML_TEXT_NODE && before->psvi)
            return (size_t)(ptrdiff_t)before->psvi;
    for (xmlNodePtr child = node->children; child; child = child->next) {
        if (child->type == XML_TEXT_NODE && child->psvi) {
            size_t line = (size_t)(ptrdiff_t)child->psvi;
            for (const xmlChar *c = child->content; c && *c; c++)
                line -= *c == '\n' && line > 0;
            return line;
        }
        if (child->type == XML_ELEMENT_NODE)
            return element_line(child);   /* a little past the start: the best known */
    }
    return node->line;
}

static int build_row(xml_reader *r, xmlNodePtr item, const sl_record **out)
{
    sl_record_builder_reset(&r->row);
    for (size_t i = 0; i < r->column_count; i++) {
        int rc;
        if (item && r->columns[i].item_level)
            rc = add_value(r, &r->row, r->columns[i].expr, item);
        else
            rc = record_builder_add(&r->row, r->shared.record.fields[i],
                                    r->shared.record.lengths[i]) == 0 ? 0 : -2;
        if (rc != 0)
            return column_error(r, i, rc);
    }
    sl_record_builder_finish(&r->row);
    sl_record_builder_check_encoding(&r->row);
    sl_record *rec = &r->row.record;
    rec->number = r->base.records_read + 1;
    rec->line = element_line(item ? item : r->record_node);
    rec->expected_fields = rec->field_count;
    *out = rec;
    return 1;
}

/* Takes the default namespace off the record's elements, so that XPaths name them without a
 * prefix (XPath 1.0 has no default namespace). The record's subtree is the reader's own and is
 * freed when the reader moves past it. */
static void drop_default_namespace(const char *uri, xmlNodePtr node)
{
    int any = strcmp(uri, "*") == 0;
    xmlNodePtr at = node;
    while (at) {
        if (at->type == XML_ELEMENT_NODE && at->ns &&
            (any || (at->ns->href && strcmp((const char *)at->ns->href, uri) == 0)))
            at->ns = NULL;
        if (at->type == XML_ELEMENT_NODE && at->children) {
            at = at->children;
            continue;
        }
        while (at && at != node && !at->next)
            at = at->parent;
        if (!at || at == node)
            break;
        at = at->next;
    }
}

/* Starts on an expanded record: its shared values and its items. */
static int begin_record(xml_reader *r, xmlNodePtr node)
{
    if (r->default_namespace)
        drop_default_namespace(r->default_namespace, node);
    r->record_node = node;
    r->item_count = r->item_next = 0;
    if (evaluate_shared(r) != 0)
        return -1;
    if (!r->item_expr)
        return 0;
    r->xpath->doc = node->doc;
    r->xpath->node = node;
    r->items = xmlXPathCompiledEval(r->item_expr, r->xpath);
    if (!r->items)
        return sl_reader_fail(&r->base, "the item XPath cannot be evaluated (an undefined "
                           "namespace prefix or function?)");
    if (r->items->type == XPATH_NODESET && r->items->nodesetval)
        r->item_count = (size_t)r->items->nodesetval->nodeNr;
    return 0;
}

/* Frees a record that has given its rows, and everything before it in the document (the
 * siblings before it and before each of its ancestors): what the reader keeps is the path to
 * the parser's position and the records not yet read. */
static void free_record(xmlNodePtr record)
{
    for (xmlNodePtr node = record; node && node->type != XML_DOCUMENT_NODE; node = node->parent) {
        xmlNodePtr before = node->prev;
        while (before) {
            xmlNodePtr prev = before->prev;
            if (before->type != XML_DTD_NODE) {
                xmlUnlinkNode(before);
                xmlFreeNode(before);
            }
            before = prev;
        }
    }
    xmlUnlinkNode(record);
    xmlFreeNode(record);
}

/* The next row of the current record, if any is left: 1 or 0. */
static int next_item_row(xml_reader *r, const sl_record **out)
{
    if (!r->record_node)
        return 0;
    if (r->item_next < r->item_count)
        return build_row(r, r->items->nodesetval->nodeTab[r->item_next++], out);
    if (r->item_next == 0 && r->item_count == 0) {   /* no items: one row, item fields empty */
        r->item_next = 1;
        return build_row(r, NULL, out);
    }
    xmlXPathFreeObject(r->items);
    r->items = NULL;
    free_record(r->record_node);
    r->record_node = NULL;
    return 0;
}

/* ---- parsing ---- */

static int is_record(const xml_reader *r, const xmlChar *name, const xmlChar *uri)
{
    if (!name || strcmp((const char *)name, r->record_name) != 0)
        return 0;
    if (!r->record_namespace)
        return 1;
    return uri ? strcmp((const char *)uri, r->record_namespace) == 0
               : r->record_namespace[0] == '\0';
}

static void queue_record(xml_reader *r, xmlNodePtr node)
{
    if (r->queue_at > 0 && r->queue_at == r->queue_len)
        r->queue_at = r->queue_len = 0;
    if (r->queue_len == r->queue_cap) {
        size_t cap = r->queue_cap ? r->queue_cap * 2 : 64;
        xmlNodePtr *grown = realloc(r->queue, cap * sizeof(*grown));
        if (!grown) {
            r->queue_failed = 1;
            xmlStopParser(r->parser);
            return;
        }
        r->queue = grown;
        r->queue_cap = cap;
    }
    r->queue[r->queue_len++] = node;
}

/* libxml2 has parsed an end tag: the tree holds the element whole. A record is queued now,
 * before anything after it (a malformed part included) is parsed. */
static void on_end_element(void *ctx, const xmlChar *name, const xmlChar *prefix,
                           const xmlChar *uri)
{
    xmlParserCtxtPtr parser = ctx;
    xml_reader *r = parser->_private;
    xmlNodePtr node = parser->node;
    r->tree_end_element(ctx, name, prefix, uri);
    if (node && is_record(r, name, uri))
        queue_record(r, node);
}

/* An <!ENTITY> in the DOCTYPE: refused (its references are kept unexpanded in the tree, but
 * taking a value's text would expand them: a small file can declare a 100 KB entity and use it
 * 100,000 times). Manifests have no use for them. The names are collected for the message. */
static void on_entity(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                      const xmlChar *system_id, xmlChar *content)
{
    (void)type, (void)public_id, (void)system_id, (void)content;
    xmlParserCtxtPtr parser = ctx;
    xml_reader *r = parser->_private;
    size_t used = strlen(r->entities);
    if (used + 8 >= sizeof(r->entities))
        return;
    snprintf(r->entities + used, sizeof(r->entities) - used, "%s%s", used ? ", " : "",
             name ? (const char *)name : "?");
    if (strlen(r->entities) + 5 >= sizeof(r->entities))
        snprintf(r->entities + used, sizeof(r->entities) - used, "%s...", used ? ", " : "");
}

/* The DOCTYPE's end: parsing stops there when it declared entities. */
static void on_doctype_end(void *ctx, const xmlChar *name, const xmlChar *external_id,
                           const xmlChar *system_id)
{
    xmlParserCtxtPtr parser = ctx;
    xml_reader *r = parser->_private;
    if (r->entities[0]) {
        xmlStopParser(parser);
        return;
    }
    if (r->tree_external_subset)
        r->tree_external_subset(ctx, name, external_id, system_id);
}

/* Feeds libxml2 the next block of the source (or the end). */
static void parse_more(xml_reader *r)
{
    size_t fed = refill_feed(r);
    int rc = fed > 0 ? xmlParseChunk(r->parser, r->feed, (int)fed, 0)
                     : xmlParseChunk(r->parser, NULL, 0, 1);
    if (fed == 0)
        r->parse_done = 1;
    if (rc != 0 || !r->parser->wellFormed || r->parser->disableSAX || r->entities[0] ||
        r->queue_failed) {
        r->parse_failed = !r->parser->wellFormed || rc != 0 || r->entities[0] || r->queue_failed;
        r->parse_done = 1;
    }
}

/* At the document's end, reads what libxml2 left of the stream, so that a gzip stream cut
 * after the last tag is still reported and the SHA-256 covers the whole source. */
static int drain_stream(xml_reader *r)
{
    const char *data;
    sl_error err;
    ssize_t n;
    while ((n = sl_stream_view(r->base.stream, &data, &err)) > 0)
        sl_stream_consume(r->base.stream, (size_t)n);
    if (n < 0)
        return sl_reader_fail(&r->base, "%s after %zu record%s", err.message, r->base.records_read,
                           r->base.records_read == 1 ? "" : "s");
    return 0;
}

static int xml_next(sl_reader *base, const sl_record **out)
{
    xml_reader *r = (xml_reader *)base;
    for (;;) {
        int rc = next_item_row(r, out);
        if (rc != 0)
            return rc;
        if (r->queue_at < r->queue_len) {
            if (begin_record(r, r->queue[r->queue_at++]) != 0)
                return -1;
            continue;
        }
        if (!r->parse_done) {
            parse_more(r);
            continue;
        }
        if (r->parse_failed || r->stream_error[0])
            return fail_document(r);
        return drain_stream(r);
    }
}

static int xml_start(sl_reader *base)
{
    (void)base;
    return 0;   /* the header is the template's column names, known from the start */
}

static void xml_free(sl_reader *base)
{
    xml_reader *r = (xml_reader *)base;
    if (r->items)
        xmlXPathFreeObject(r->items);
    if (r->parser) {
        if (r->parser->myDoc)
            xmlFreeDoc(r->parser->myDoc);
        xmlFreeParserCtxt(r->parser);
    }
    free(r->queue);
    if (r->xpath)
        xmlXPathFreeContext(r->xpath);
    if (r->item_expr)
        xmlXPathFreeCompExpr(r->item_expr);
    for (size_t i = 0; i < r->column_count; i++)
        if (r->columns[i].expr)
            xmlXPathFreeCompExpr(r->columns[i].expr);
    free(r->columns);
    free(r->record_name);
    free(r->record_namespace);
    free(r->default_namespace);
    free(r->raw);
    free(r->feed);
    sl_record_builder_free(&r->row);
    sl_record_builder_free(&r->shared);
    free(r);
}

static const reader_ops xml_ops = { xml_start, xml_next, xml_free };

/* ---- setting up ---- */

static xmlXPathCompExprPtr compile(xml_reader *r, const char *expression)
{
    return expression ? xmlXPathCtxtCompile(r->xpath, (const xmlChar *)expression) : NULL;
}

static int set_columns(xml_reader *r, const sl_xml_options *options, sl_error *err)
{
    size_t n = options->column_count;
    r->columns = calloc(n ? n : 1, sizeof(*r->columns));
    r->base.header.names = calloc(n ? n : 1, sizeof(char *));
    if (!r->columns || !r->base.header.names)
        return sl_error_set(err, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const sl_xml_column *c = &options->columns[i];
        r->base.header.names[i] = strdup(c->name ? c->name : "");
        if (!r->base.header.names[i])
            return sl_error_set(err, "out of memory");
        r->base.header.count = i + 1;
        r->columns[i].item_level = c->item_level;
        r->columns[i].expr = compile(r, c->xpath);
        r->column_count = i + 1;
        if (!r->columns[i].expr)
            return sl_error_set(err, "column '%s': '%s' is not a valid XPath expression",
                                r->base.header.names[i], c->xpath ? c->xpath : "(none)");
    }
    return 0;
}

static int set_xpath(xml_reader *r, const sl_xml_options *options, sl_error *err)
{
    r->xpath = xmlXPathNewContext(NULL);
    if (!r->xpath)
        return sl_error_set(err, "out of memory");
    r->xpath->error = ignore_xpath_error;
    r->xpath->userData = r;
    for (size_t i = 0; i < options->namespace_count; i++) {
        const sl_xml_namespace *ns = &options->namespaces[i];
        if (!ns->prefix || !ns->uri ||
            xmlXPathRegisterNs(r->xpath, (const xmlChar *)ns->prefix,
                               (const xmlChar *)ns->uri) != 0)
            return sl_error_set(err, "cannot register the XML namespace prefix '%s'",
                                ns->prefix ? ns->prefix : "(none)");
    }
    if (options->item_xpath && !(r->item_expr = compile(r, options->item_xpath)))
        return sl_error_set(err, "item path '%s' is not a valid XPath expression",
                            options->item_xpath);
    return set_columns(r, options, err);
}

/* The encoding named in the XML declaration, when the start of data has one. */
static int declared_encoding(const char *data, size_t len, char *out, size_t cap)
{
    if (len < 5 || memcmp(data, "<?xml", 5) != 0)
        return 0;
    const char *end = memchr(data, '>', len);
    size_t span = end ? (size_t)(end - data) : len;
    for (size_t i = 5; i + 9 < span; i++) {
        if (memcmp(data + i, "encoding", 8) != 0)
            continue;
        size_t k = i + 8;
        while (k < span && (data[k] == ' ' || data[k] == '='))
            k++;
        if (k >= span || (data[k] != '"' && data[k] != '\''))
            return 0;
        char q = data[k++];
        size_t n = 0;
        for (; k < span && data[k] != q && n + 1 < cap; k++)   /* shown in messages: ASCII */
            out[n++] = data[k] > ' ' && data[k] < 0x7F ? data[k] : '?';
        out[n] = '\0';
        return n > 0;
    }
    return 0;
}

/* Follows the declaration of a single-byte encoding when none was asked for; refuses one
 * shipload cannot decode. UTF-16 sources arrive here decoded already (by their BOM). */
static int follow_declaration(sl_stream *stream, sl_error *err)
{
    const char *data;
    size_t len = 0;
    sl_error ignored;
    if (sl_stream_peek(stream, DECLARATION_PEEK, &data, &len, &ignored) != 0)
        return 0;   /* reading started already, or failed: the reader reports it */
    char name[64];
    if (!declared_encoding(data, len, name, sizeof(name)))
        return 0;
    if (strncasecmp(name, "utf-16", 6) == 0 || strcasecmp(name, "us-ascii") == 0 ||
        strcasecmp(name, "ascii") == 0 || sl_stream_requested_encoding(stream) != SL_ENCODING_AUTO)
        return 0;
    sl_encoding declared;
    if (sl_encoding_parse(name, &declared) != 0)
        return sl_error_set(err, "the XML declares the encoding '%s', which shipload cannot "
                            "read (UTF-8, UTF-16, ISO-8859-1 and windows-1252 can be read)",
                            name);
    if (declared == SL_ENCODING_UTF8 || declared == SL_ENCODING_AUTO)
        return 0;
    return sl_stream_set_encoding(stream, declared, err);
}

/* A push parser building a tree (libxml2's SAX2 handlers), with the end of an element and
 * entity declarations seen by this reader first. */
static int start_parser(xml_reader *r)
{
    r->parser = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, NULL);
    if (!r->parser)
        return -1;
    xmlCtxtUseOptions(r->parser, XML_PARSE_OPTIONS);
    xmlSwitchEncoding(r->parser, XML_CHAR_ENCODING_UTF8);
    r->parser->_private = r;
    r->parser->linenumbers = 1;
    xmlSAXHandlerPtr sax = r->parser->sax;
    r->tree_end_element = sax->endElementNs;
    sax->endElementNs = on_end_element;
    sax->entityDecl = on_entity;
    r->tree_external_subset = sax->externalSubset;
    sax->externalSubset = on_doctype_end;
    sax->serror = on_parse_error;
    sax->error = NULL;
    sax->warning = NULL;
    return 0;
}

sl_reader *sl_xml_reader_new(sl_stream *stream, const sl_xml_options *options, sl_error *err)
{
    if (!options || !options->record_element || !options->record_element[0]) {
        sl_error_set(err, "the XML record element is not named");
        return NULL;
    }
    xml_reader *r = calloc(1, sizeof(*r));
    if (!r) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    sl_reader_init(&r->base, &xml_ops, stream, ',');
    r->raw = malloc(FEED_SIZE + 4);
    r->feed = malloc((FEED_SIZE + 4) * FEED_EXPANSION);
    r->record_name = strdup(options->record_element);
    r->record_namespace = options->record_namespace ? strdup(options->record_namespace) : NULL;
    r->default_namespace = options->default_namespace ? strdup(options->default_namespace) : NULL;
    if (!r->raw || !r->feed || !r->record_name ||
        (options->record_namespace && !r->record_namespace) ||
        (options->default_namespace && !r->default_namespace)) {
        sl_error_set(err, "out of memory");
        goto fail;
    }
    if (set_xpath(r, options, err) != 0 || follow_declaration(stream, err) != 0)
        goto fail;
    if (start_parser(r) != 0) {
        sl_error_set(err, "cannot start the XML parser");
        goto fail;
    }
    return &r->base;
fail:
    sl_reader_free_header(&r->base);
    xml_free(&r->base);
    return NULL;
}
