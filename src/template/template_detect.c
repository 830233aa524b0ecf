/* template_detect.c: picks the template that fits a stream from its peeked start (spec §12).
 * XML (the first non-blank byte is '<'): a template fits when its root element and the elements
 * it lists appear. CSV: when the header line holds all its required columns (case-insensitive,
 * trimmed). Among fitting templates the one with the most conditions wins; a tie is an error
 * naming the candidates; no fit is an error naming what was seen and the templates tried.
 * Nothing is consumed from the stream. The header is split with libcsv and the XML start read
 * with libxml2's reader (no network, no DTD, no entity expansion). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <csv.h>
#include <libxml/xmlreader.h>
#include "template_internal.h"

#define PEEK_BYTES 65536
#define MAX_XML_NAMES 256
#define DELIMITER_SLOTS 8

/* ---- what the start of the stream shows ---- */

typedef struct csv_header_cache {
    char delimiter;
    size_t count;
    size_t capacity;
    char **names;
} csv_header_cache;

typedef struct seen {
    const char *data;
    size_t len;
    int is_xml;
    /* CSV: the header line split with each delimiter asked for so far */
    csv_header_cache headers[DELIMITER_SLOTS];
    size_t header_count;
    char sniffed;
    const csv_header_cache *fixed;   /* a header given as it is (an xlsx sheet's first row) */
    /* XML */
    char xml_error[200];      /* libxml2's first error in the start, when it is not the cut */
    int xml_error_line;
    char *root;
    char *root_namespace;
    char *names[MAX_XML_NAMES];
    size_t name_count;
    char entities[200];         /* entities the DOCTYPE declares (refused), comma-separated */
} seen;

static void seen_free(seen *s)
{
    for (size_t i = 0; i < s->header_count; i++) {
        for (size_t k = 0; k < s->headers[i].count; k++)
            free(s->headers[i].names[k]);
        free(s->headers[i].names);
    }
    free(s->root);
    free(s->root_namespace);
    for (size_t i = 0; i < s->name_count; i++)
        free(s->names[i]);
}

/* The delimiter among , ; tab | that occurs most on the first line (outside quotes). */
static char sniff_delimiter(const char *data, size_t len)
{
    static const char candidates[] = { ',', ';', '\t', '|' };
    size_t counts[4] = { 0 };
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted)
            for (size_t k = 0; k < 4; k++)
                if (c == candidates[k])
                    counts[k]++;
    }
    size_t best = 0;
    for (size_t k = 1; k < 4; k++)
        if (counts[k] > counts[best])
            best = k;
    return candidates[best];
}

typedef struct header_parse {
    csv_header_cache *header;
    int done;
    int failed;
} header_parse;

static void on_header_field(void *field, size_t len, void *data)
{
    header_parse *parse = data;
    if (parse->done || parse->failed)
        return;
    csv_header_cache *header = parse->header;
    if (header->count == header->capacity) {
        size_t capacity = header->capacity ? header->capacity * 2 : 32;
        char **grown = realloc(header->names, capacity * sizeof(char *));
        if (!grown) {
            parse->failed = 1;
            return;
        }
        header->names = grown;
        header->capacity = capacity;
    }
    if (!(header->names[header->count] = strndup(field ? field : "", len))) {
        parse->failed = 1;
        return;
    }
    parse->header->count++;
}

static void on_header_end(int terminator, void *data)
{
    (void)terminator;
    header_parse *parse = data;
    if (parse->header->count > 0)
        parse->done = 1;
}

/* The header line split with delimiter, parsed once per delimiter. NULL on allocation failure. */
static const csv_header_cache *header_with(seen *s, char delimiter)
{
    for (size_t i = 0; i < s->header_count; i++)
        if (s->headers[i].delimiter == delimiter)
            return &s->headers[i];
    if (s->header_count == DELIMITER_SLOTS)
        return NULL;
    csv_header_cache *header = &s->headers[s->header_count++];
    header->delimiter = delimiter;
    struct csv_parser parser;
    if (csv_init(&parser, 0) != 0)
        return NULL;
    csv_set_delim(&parser, (unsigned char)delimiter);
    header_parse parse = { .header = header };
    /* feed line by line until the first record is complete (a quoted header may span lines) */
    size_t at = 0;
    while (at < s->len && !parse.done && !parse.failed) {
        const char *newline = memchr(s->data + at, '\n', s->len - at);
        size_t chunk = newline ? (size_t)(newline - (s->data + at)) + 1 : s->len - at;
        csv_parse(&parser, s->data + at, chunk, on_header_field, on_header_end, &parse);
        at += chunk;
    }
    if (!parse.done && !parse.failed)
        csv_fini(&parser, on_header_field, on_header_end, &parse);
    csv_free(&parser);
    return parse.failed ? NULL : header;
}

/* The first line as the template splits it (or the given header). */
static const csv_header_cache *first_line(seen *s, const sl_template *tpl)
{
    if (s->fixed)
        return s->fixed;
    return header_with(s, tpl && tpl->csv.delimiter ? tpl->csv.delimiter : s->sniffed);
}

static int header_has(const csv_header_cache *header, const char *name)
{
    return sl_tpl_find_column(header->names, header->count, name) != (size_t)-1;
}

/* Keeps libxml2's first error with its line; a start cut short by the peek ends in an error
 * that says nothing of the document, so errors on its last line are not kept. */
static void note_xml_error(void *arg, xmlErrorPtr error)
{
    seen *s = arg;
    if (!error || error->level < XML_ERR_ERROR || s->xml_error[0])
        return;
    snprintf(s->xml_error, sizeof(s->xml_error), "%s", error->message ? error->message : "");
    size_t len = strlen(s->xml_error);
    while (len > 0 && (s->xml_error[len - 1] == '\n' || s->xml_error[len - 1] == ' '))
        s->xml_error[--len] = '\0';
    s->xml_error_line = error->line;
}

/* 1 when line is the last line of the peeked bytes of a start that was cut. */
static int on_cut_line(const seen *s, int line)
{
    if (s->len < PEEK_BYTES)
        return 0;
    int lines = 1;
    for (size_t i = 0; i < s->len; i++)
        lines += s->data[i] == '\n';
    return line >= lines - 1;
}

static void remember_name(seen *s, const char *name)
{
    for (size_t i = 0; i < s->name_count; i++)
        if (strcmp(s->names[i], name) == 0)
            return;
    if (s->name_count < MAX_XML_NAMES && (s->names[s->name_count] = strdup(name)))
        s->name_count++;
}

static void remember_entity(void *payload, void *data, const xmlChar *name)
{
    (void)payload;
    seen *s = data;
    size_t used = strlen(s->entities);
    if (used + 8 < sizeof(s->entities))
        snprintf(s->entities + used, sizeof(s->entities) - used, "%s%s", used ? ", " : "",
                 name ? (const char *)name : "?");
}

/* The entities a DOCTYPE declares, which the XML reader will refuse. */
static void note_entities(seen *s, xmlDtdPtr dtd)
{
    if (!dtd)
        return;
    if (dtd->entities)
        xmlHashScan(dtd->entities, remember_entity, s);
    if (dtd->pentities)
        xmlHashScan(dtd->pentities, remember_entity, s);
}

/* Reads the element names of the peeked start until it ends or breaks off. */
static void scan_xml(seen *s)
{
    xmlTextReaderPtr reader = xmlReaderForMemory(s->data, (int)s->len, NULL, "UTF-8",
                                                 XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                 XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (!reader)
        return;
    xmlTextReaderSetStructuredErrorHandler(reader, note_xml_error, s);
    while (xmlTextReaderRead(reader) == 1) {
        if (xmlTextReaderNodeType(reader) != XML_READER_TYPE_ELEMENT)
            continue;
        const char *local = (const char *)xmlTextReaderConstLocalName(reader);
        if (!local)
            continue;
        if (!s->root) {
            s->root = strdup(local);
            const char *uri = (const char *)xmlTextReaderConstNamespaceUri(reader);
            s->root_namespace = uri ? strdup(uri) : NULL;
        }
        remember_name(s, local);
    }
    /* the DOCTYPE, read whole even when an entity loop broke the reading off (the document
     * is then the caller's to free) */
    xmlDocPtr doc = xmlTextReaderCurrentDoc(reader);
    if (doc)
        note_entities(s, doc->intSubset);
    xmlFreeTextReader(reader);
    xmlFreeDoc(doc);
    if (s->xml_error[0] && on_cut_line(s, s->xml_error_line))
        s->xml_error[0] = '\0';
}

static int starts_like_xml(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '<';
    }
    return 0;
}

/* ---- fitting one template ---- */

static int fits_xml(const sl_template *tpl, const seen *s)
{
    if (tpl->detect_root) {
        if (!s->root || strcmp(s->root, tpl->detect_root) != 0)
            return 0;
        if (tpl->detect_root_namespace &&
            (!s->root_namespace || strcmp(s->root_namespace, tpl->detect_root_namespace) != 0))
            return 0;
    }
    for (size_t i = 0; i < tpl->detect_element_count; i++) {
        int found = 0;
        for (size_t k = 0; k < s->name_count && !found; k++)
            found = strcmp(s->names[k], tpl->detect_elements[i]) == 0;
        if (!found)
            return 0;
    }
    return 1;
}

static int row_test_holds(const tpl_row_test *test, const csv_header_cache *row)
{
    if (test->column > row->count)
        return 0;
    const char *value = row->names[test->column - 1];
    size_t len = strlen(value);
    sl_tpl_trim_span(&value, &len);
    for (size_t i = 0; i < test->value_count; i++)
        if (strlen(test->values[i]) == len && strncasecmp(test->values[i], value, len) == 0)
            return 1;
    if (test->prefix)
        return len >= strlen(test->prefix) &&
               strncasecmp(value, test->prefix, strlen(test->prefix)) == 0;
    if (test->digits) {
        if (len != test->digits)
            return 0;
        for (size_t i = 0; i < len; i++)
            if (value[i] < '0' || value[i] > '9')
                return 0;
        return 1;
    }
    return 0;
}

static int fits_csv(const sl_template *tpl, seen *s)
{
    const csv_header_cache *header = first_line(s, tpl);
    if (!header)
        return 0;
    if (tpl->detect_width && header->count != tpl->detect_width)
        return 0;
    for (size_t i = 0; i < tpl->row_test_count; i++)
        if (!row_test_holds(&tpl->row_tests[i], header))
            return 0;
    for (size_t i = 0; i < tpl->required_count; i++) {
        int found = 0;
        for (size_t k = 0; k < tpl->required[i].count && !found; k++)
            found = header_has(header, tpl->required[i].names[k]);
        if (!found)
            return 0;
    }
    return 1;
}

/* How many of the header's columns the template reads (fields, rules): the tie-break. */
static size_t columns_read(const sl_template *tpl, const csv_header_cache *header)
{
    size_t count = 0;
    if (!tpl->csv.has_header)
        return 0;
    for (size_t c = 0; c < header->count; c++) {
        int read = 0;
        for (int id = 0; id < TPL_FIELD_COUNT && !read; id++)
            for (size_t i = 0; i < tpl->fields[id].source_count && !read; i++) {
                const tpl_source *source = &tpl->fields[id].sources[i];
                read = source->kind == TPL_SOURCE_COLUMN_NAME &&
                       sl_tpl_find_source_column(header->names + c, 1, source) == 0;
            }
        for (size_t i = 0; i < tpl->rule_count && !read; i++)
            read = tpl->rules[i].source.kind == TPL_SOURCE_COLUMN_NAME &&
                   sl_tpl_column_names_match(header->names[c], tpl->rules[i].source.column_name);
        count += (size_t)read;
    }
    return count;
}

#define WEIGHT_STEP 100000   /* a condition outweighs any number of columns read */

/* The weight of the template's fit (its number of conditions, then the columns it reads), or
 * 0 when it does not fit. */
static size_t fit(const sl_template *tpl, seen *s)
{
    size_t weight = sl_tpl_detect_weight(tpl);
    if (weight == 0 || (tpl->format == SL_FORMAT_XML) != s->is_xml)
        return 0;
    if (s->is_xml)
        return fits_xml(tpl, s) ? weight * WEIGHT_STEP : 0;
    if (!fits_csv(tpl, s))
        return 0;
    const csv_header_cache *header = first_line(s, tpl);
    return weight * WEIGHT_STEP + (header ? columns_read(tpl, header) : 0);
}

/* ---- messages ---- */

static void append(char *out, size_t cap, const char *fmt, const char *text)
{
    size_t used = strlen(out);
    if (used + 1 < cap)
        snprintf(out + used, cap - used, fmt, text);
}

/* Printable text: no control characters but tab, and UTF-8 sequences that are well formed
 * in shape (what is not is not echoed into a message). */
static int looks_like_text(const char *text)
{
    const unsigned char *c = (const unsigned char *)text;
    while (*c) {
        if (*c < 0x80) {
            if ((*c < 0x20 && *c != '\t') || *c == 0x7F)
                return 0;
            c++;
            continue;
        }
        int follow = (*c & 0xE0) == 0xC0 ? 1 : (*c & 0xF0) == 0xE0 ? 2 : (*c & 0xF8) == 0xF0 ? 3 : -1;
        if (follow < 0)
            return 0;
        for (int i = 1; i <= follow; i++)
            if ((c[i] & 0xC0) != 0x80)
                return 0;
        c += follow + 1;
    }
    return 1;
}

static void describe_seen(seen *s, char *out, size_t cap)
{
    out[0] = '\0';
    if (s->is_xml) {
        if (s->entities[0])
            snprintf(out, cap, "the document declares entities in its DOCTYPE (%s), which "
                     "shipload refuses to expand", s->entities);
        else if (s->root)
            snprintf(out, cap, "root element <%s>", s->root);
        else
            snprintf(out, cap, "no XML element could be read");
        return;
    }
    const csv_header_cache *header = first_line(s, NULL);
    if (!header || header->count == 0) {
        snprintf(out, cap, "no header line");
        return;
    }
    for (size_t i = 0; i < header->count; i++)
        if (!looks_like_text(header->names[i])) {
            snprintf(out, cap, "the first line is not text: binary data, or another encoding "
                               "(see --encoding)");
            return;
        }
    append(out, cap, "%s", "header: ");
    for (size_t i = 0; i < header->count; i++) {
        if (i == 8) {
            append(out, cap, "%s", ", ...");
            break;
        }
        char name[44];
        snprintf(name, sizeof(name), "%s", header->names[i]);
        if (strlen(header->names[i]) >= sizeof(name)) {   /* cut at a character boundary */
            size_t cut = sizeof(name) - 4;
            while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
                cut--;
            strcpy(name + cut, "...");
        }
        append(out, cap, i ? ", %s" : "%s", name);
    }
}

typedef struct candidates {
    sl_template *best;
    size_t best_weight;
    char tied[160];
    char tried[200];
    char broken[120];
    size_t tie_count;
    /* the CSV template with a header that has the most of its required columns */
    char closest[80];
    size_t closest_found;
    char closest_missing[240];
} candidates;

static void consider(candidates *c, sl_template *tpl, size_t weight)
{
    if (weight > c->best_weight) {
        sl_template_free(c->best);
        c->best = tpl;
        c->best_weight = weight;
        c->tie_count = 1;
        snprintf(c->tied, sizeof(c->tied), "%s", tpl->name);
        return;
    }
    if (weight == c->best_weight && weight > 0) {
        c->tie_count++;
        append(c->tied, sizeof(c->tied), ", %s", tpl->name);
    }
    sl_template_free(tpl);
}

/* Remembers the template as the closest when it has more of its required columns than the
 * closest so far (at least one). */
static void measure_closeness(candidates *c, const sl_template *tpl, seen *s)
{
    if (s->is_xml || tpl->format != SL_FORMAT_CSV || !tpl->csv.has_header ||
        tpl->required_count == 0)
        return;
    const csv_header_cache *header = first_line(s, tpl);
    if (!header)
        return;
    size_t found = 0;
    char missing[240] = "";
    for (size_t i = 0; i < tpl->required_count; i++) {
        int has = 0;
        for (size_t k = 0; k < tpl->required[i].count && !has; k++)
            has = header_has(header, tpl->required[i].names[k]);
        if (has)
            found++;
        else
            append(missing, sizeof(missing), missing[0] ? ", '%s'" : "'%s'",
                   tpl->required[i].names[0]);
    }
    if (found == 0 || found <= c->closest_found)
        return;
    c->closest_found = found;
    snprintf(c->closest, sizeof(c->closest), "%s", tpl->name);
    snprintf(c->closest_missing, sizeof(c->closest_missing), "%s", missing);
}

/* What an EDI interchange starts with: X12 "ISA" and its element separator, EDIFACT "UNA" or
 * "UNB+". NULL when the data is not EDI. */
static const char *edi_kind(const char *data, size_t len)
{
    while (len > 0 && (*data == ' ' || *data == '\r' || *data == '\n' || *data == '\t')) {
        data++;
        len--;
    }
    if (len >= 4 && memcmp(data, "ISA", 3) == 0 && (data[3] == '*' || data[3] == '|' ||
                                                     data[3] == '~' || data[3] == '^'))
        return "an ANSI X12 interchange (ISA segment, e.g. an 856 ship notice)";
    if (len >= 4 && (memcmp(data, "UNA", 3) == 0 || memcmp(data, "UNB+", 4) == 0))
        return "an EDIFACT interchange (UNA/UNB segment, e.g. a DESADV)";
    return NULL;
}

/* 1 when a field of the first line looks like a value rather than a column name: a UPS
 * number, a long run of digits, a date such as 20261121 or 11/21/2026. */
static int first_line_looks_like_data(seen *s)
{
    const csv_header_cache *line = first_line(s, NULL);
    for (size_t i = 0; line && i < line->count; i++) {
        const char *value = line->names[i];
        size_t len = strlen(value), digits = 0;
        for (size_t k = 0; k < len; k++)
            digits += value[k] >= '0' && value[k] <= '9';
        if ((len >= 18 && strncasecmp(value, "1Z", 2) == 0) || (len >= 8 && digits == len) ||
            (len >= 8 && digits + 2 == len && strchr(value, '/')))
            return 1;
    }
    return 0;
}

/* The error for a start that no template fits: the closest CSV template and what it lacks,
 * a malformed XML document, EDI, a first line that is data. */
static void explain_no_fit(seen *s, const candidates *c, sl_error *err)
{
    char what[400];
    describe_seen(s, what, sizeof(what));
    if (s->is_xml && s->xml_error[0] && !s->entities[0]) {
        sl_error_set(err, "malformed XML at line %d: %s (so no template can be matched)",
                     s->xml_error_line, s->xml_error);
        return;
    }
    char hint[400] = "";
    if (!s->is_xml && first_line_looks_like_data(s))
        snprintf(hint, sizeof(hint), "; the first line looks like data, not a header: a file "
                 "without a header needs a headerless template given with -t (csv.header "
                 "false, columns by number; see shipload-template(5))");
    else if (c->closest[0])
        snprintf(hint, sizeof(hint), "; closest: %s, which lacks the column%s %s", c->closest,
                 strchr(c->closest_missing, ',') ? "s" : "", c->closest_missing);
    sl_error_set(err, "no template fits (%s; tried %s: %s)%s%s%s", what,
                 s->is_xml ? "the XML templates" : "the CSV templates",
                 c->tried[0] ? c->tried : "none", hint, c->broken[0] ? "; could not load: " : "",
                 c->broken);
}

/* What choose hands sl_tpl_each. */
typedef struct choosing {
    seen *s;
    candidates c;
} choosing;

/* One template against what the start shows (it is kept as the best, or freed). */
static void try_template(void *ctx, const char *name, sl_template *tpl, const sl_error *load_err)
{
    choosing *ch = ctx;
    (void)load_err;   /* a template that does not load is named, not explained */
    if (!tpl) {
        append(ch->c.broken, sizeof(ch->c.broken), ch->c.broken[0] ? ", %s" : "%s", name);
        return;
    }
    if ((tpl->format == SL_FORMAT_XML) == ch->s->is_xml && sl_tpl_detect_weight(tpl) > 0)
        append(ch->c.tried, sizeof(ch->c.tried), ch->c.tried[0] ? ", %s" : "%s", name);
    measure_closeness(&ch->c, tpl, ch->s);
    consider(&ch->c, tpl, fit(tpl, ch->s));
}

/* Tries every template on what the start shows, each file read once. */
static sl_template *choose(seen *s, sl_error *err)
{
    choosing ch;
    memset(&ch, 0, sizeof(ch));
    ch.s = s;
    if (sl_tpl_each(try_template, &ch, err) != 0)
        return NULL;
    candidates *c = &ch.c;
    if (c->best && c->tie_count == 1)
        return c->best;
    if (c->best) {
        sl_error_set(err, "several templates fit equally well: %s", c->tied);
        sl_template_free(c->best);
    } else {
        explain_no_fit(s, c, err);
    }
    return NULL;
}

sl_template *sl_template_detect(sl_stream *stream, sl_error *err)
{
    seen s;
    memset(&s, 0, sizeof(s));
    if (sl_stream_peek(stream, PEEK_BYTES, &s.data, &s.len, err) != 0)
        return NULL;
    if (s.len == 0) {
        sl_error_set(err, "the input is empty: no template can be detected");
        return NULL;
    }
    const char *edi = edi_kind(s.data, s.len);
    if (edi) {
        sl_error_set(err, "this is %s: shipload does not read EDI; ask for the shipments as "
                          "CSV or XML", edi);
        return NULL;
    }
    s.is_xml = starts_like_xml(s.data, s.len);
    if (s.is_xml)
        scan_xml(&s);
    else
        s.sniffed = sniff_delimiter(s.data, s.len);
    sl_template *result = choose(&s, err);
    seen_free(&s);
    return result;
}

sl_template *sl_template_detect_header(const sl_header *header, sl_error *err)
{
    if (!header || !header->names || header->count == 0) {
        sl_error_set(err, "the sheet is empty: no template can be detected");
        return NULL;
    }
    seen s;
    memset(&s, 0, sizeof(s));
    csv_header_cache fixed = { ',', header->count, header->count, header->names };
    s.fixed = &fixed;
    s.sniffed = ',';
    s.data = "";
    sl_template *result = choose(&s, err);
    s.fixed = NULL;
    seen_free(&s);
    return result;
}

int sl_template_check_start(const sl_template *tpl, sl_stream *stream, sl_error *err)
{
    if (tpl->format != SL_FORMAT_XML)
        return 0;
    seen s;
    memset(&s, 0, sizeof(s));
    sl_error ignored;
    if (sl_stream_peek(stream, PEEK_BYTES, &s.data, &s.len, &ignored) != 0 || s.len == 0 ||
        s.len >= PEEK_BYTES || !starts_like_xml(s.data, s.len))
        return 0;   /* unread, empty, larger than the peek, or not XML: the reader judges */
    s.is_xml = 1;
    scan_xml(&s);
    int found = 0;
    for (size_t i = 0; i < s.name_count && !found; i++)
        found = strcmp(s.names[i], tpl->xml_record) == 0;
    int rc = 0;
    if (!found && !s.xml_error[0])
        rc = sl_error_set(err, "no <%s> element in the document (root <%s>), so template %s "
                          "would read no record: is it the right template?", tpl->xml_record,
                          s.root ? s.root : "?", tpl->name);
    seen_free(&s);
    return rc;
}
