/* report_html.c: report.html (report_html.h). The page is streamed: the head, then the rows as
 * they come as data (one JSON array each, report_html_data.c) in a <script type="application/json">
 * element, then at close the summary, the totals chart (inline SVG), the reasons that need
 * attention with their fixes, and the script, which shows the rows a page at a time (and all of
 * them when printing); CSS order shows the summary first. A page of 10,000 rows thus opens with
 * a small document instead of 10,000 table rows (docs/report-html.md). Every value shown by the
 * markup goes through sl_report_html_escape, and the script shows data as text only; a
 * Content-Security-Policy allows no network and only the page's own script (by its hash), so
 * even a value that escaped escaping could run nothing.
 * It does not decide statuses or counts (report_summary.c does). */
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include "report_fixes.h"
#include "report_fs.h"
#include "report_html.h"
#include "report_html_data.h"
#include "report_html_assets.h"
#include "report_text.h"

#define EXAMPLES_PER_CODE 8
/* The rows table: fixed column widths, the body filled by the script. */
#define ROWS_COLUMNS                                                                          \
    "<colgroup><col class=\"w-num\"><col class=\"w-num\"><col class=\"w-order\">"            \
    "<col class=\"w-items\"><col class=\"w-tracking\"><col class=\"w-carrier\">"             \
    "<col class=\"w-date\"><col class=\"w-status\"><col><col class=\"w-notified\"></colgroup>"

struct report_html {
    report_file file;
    size_t listed, omitted;
    size_t examples[SL_CODE_COUNT][EXAMPLES_PER_CODE];   /* record numbers, per error code */
    size_t example_count[SL_CODE_COUNT];
};

/* ---------------------------------------------------------------- small writers */

static int put(report_html *html, const char *text)
{
    return fputs(text, html->file.fp) == EOF ? -1 : 0;
}

static int esc(report_html *html, const char *text)
{
    return sl_report_html_escape(html->file.fp, text);
}

static int status_badge(report_html *html, sl_status status)
{
    return fprintf(html->file.fp, "<span class=\"st %s\">%s</span>",
                   sl_report_html_status_class(status), sl_status_name(status)) < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- open: head, rows table */

/* 'sha256-...' of the page's script, for the Content-Security-Policy. */
static void script_hash(char out[64])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    out[0] = '\0';
    if (EVP_Digest(report_html_script, strlen(report_html_script), digest, &digest_len,
                   EVP_sha256(), NULL) == 1)
        EVP_EncodeBlock((unsigned char *)out, digest, (int)digest_len);
}

static int write_head(report_html *html)
{
    char hash[64];
    script_hash(hash);
    return fprintf(html->file.fp,
                   "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'; script-src 'sha256-%s'; img-src data:; "
                   "base-uri 'none'; form-action 'none'\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"shipload " SHIPLOAD_VERSION "\">\n"
                   "<title>shipload report</title>\n<style>\n%s</style>\n</head>\n<body>\n"
                   "<main id=\"page\">\n<section id=\"rows\">\n<h2>Rows</h2>\n"
                   "<div class=\"tools\"><input type=\"search\" id=\"search\" "
                   "placeholder=\"Search: order, SKU, tracking number, reason\" "
                   "aria-label=\"Search rows\"> <label>Status <select id=\"status-filter\">"
                   "<option value=\"\">all</option></select></label> <label><input "
                   "type=\"checkbox\" id=\"attention-only\"> needs attention only</label> "
                   "<span id=\"shown\" class=\"muted\"></span></div>\n"
                   "<table class=\"rows\" id=\"rows-table\">%s<thead><tr><th>Record</th>"
                   "<th>Line</th><th>Order</th><th>Items</th><th>Tracking</th><th>Carrier</th>"
                   "<th>Ship date</th><th>Status</th><th>Reason</th><th>Notified</th></tr>"
                   "</thead><tbody id=\"rows-body\"></tbody></table>\n"
                   "<p><button type=\"button\" id=\"show-more\" hidden>Show more rows</button>"
                   "</p>\n<noscript><p>The rows are listed with JavaScript; results.csv has every "
                   "record.</p></noscript>\n<script type=\"application/json\" id=\"rows-data\" "
                   "data-fields=\"" REPORT_HTML_FIELDS "\">[",
                   hash, report_html_style, ROWS_COLUMNS) < 0
               ? -1
               : 0;
}

report_html *sl_report_html_open(const char *dir, sl_error *err)
{
    report_html *html = calloc(1, sizeof(*html));
    if (!html) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    if (sl_report_file_open(&html->file, dir, "report.html", err) != 0) {
        free(html);
        return NULL;
    }
    if (write_head(html) != 0) {
        sl_error_set(err, "cannot write %s: %s", html->file.final_path, strerror(errno));
        sl_report_html_free(html);
        return NULL;
    }
    return html;
}

/* ---------------------------------------------------------------- rows */

static void remember_example(report_html *html, const sl_row *row)
{
    if (row->code == SL_CODE_NONE || (unsigned)row->code >= SL_CODE_COUNT ||
        sl_status_is_success(row->status))
        return;
    size_t *count = &html->example_count[row->code];
    if (*count < EXAMPLES_PER_CODE)
        html->examples[row->code][(*count)++] = row->record;
}

int sl_report_html_add(report_html *html, const sl_row *row)
{
    remember_example(html, row);
    int needs_attention = !sl_status_is_success(row->status);
    if (html->listed >= REPORT_HTML_MAX_ROWS ||
        (html->listed >= REPORT_HTML_ALL_ROWS && !needs_attention)) {
        html->omitted++;
        return 0;
    }
    if (put(html, html->listed ? ",\n" : "\n"))
        return -1;
    html->listed++;
    return sl_report_html_data_row(html->file.fp, row) != 0 || sl_report_file_failed(&html->file)
               ? -1
               : 0;
}

/* ---------------------------------------------------------------- close: the top of the page */

static int fact(report_html *html, const char *name, const char *value)
{
    return put(html, "<dt>") || esc(html, name) || put(html, "</dt><dd>") ||
           esc(html, value && value[0] ? value : "—") || put(html, "</dd>\n");
}

static int write_facts(report_html *html, const report_about *about)
{
    const report_summary_context *context = about->context;
    const sl_report_input *input = context->input;
    char size[48], seconds[48];
    snprintf(size, sizeof(size), "%llu bytes", input ? input->size : 0ULL);
    snprintf(seconds, sizeof(seconds), "%.3f s", about->seconds);
    return put(html, "<dl class=\"facts\">\n") ||
           fact(html, "File", input ? input->name : NULL) ||
           fact(html, "Size", input ? size : NULL) ||
           fact(html, "SHA-256", input ? input->sha256_hex : NULL) ||
           fact(html, "Template", input ? input->template_name : NULL) ||
           fact(html, "Store", about->store) || fact(html, "Platform", about->platform) ||
           fact(html, "Started (UTC)", about->started) ||
           fact(html, "Finished (UTC)", about->finished) || fact(html, "Took", seconds) ||
           fact(html, "Reports in", context->dir) || put(html, "</dl>\n");
}

static size_t failures(const report_stats *stats)
{
    size_t failed = 0;
    for (int status = 0; status < SL_STATUS_COUNT; status++)
        if (!sl_status_is_success(status))
            failed += stats->status_counts[status];
    return failed;
}

static int write_summary(report_html *html, const report_about *about)
{
    const report_summary_context *context = about->context;
    size_t failed = failures(about->stats);
    if (put(html, "<section id=\"summary\">\n<h1>shipload ") || esc(html, context->command) ||
        put(html, context->dry_run ? " (dry run)" : "") || put(html, " report</h1>\n") ||
        write_facts(html, about))
        return -1;
    if (context->fatal_error)
        return put(html, "<p class=\"verdict bad\">The run stopped early: ") ||
               esc(html, context->fatal_error) || put(html, "</p>\n</section>\n");
    int written = failed ? fprintf(html->file.fp, "<p class=\"verdict bad\">%zu of %zu records "
                                   "need attention.</p>\n", failed, about->stats->rows)
                         : fprintf(html->file.fp, "<p class=\"verdict ok\">All %zu records went "
                                   "through.</p>\n", about->stats->rows);
    return written < 0 || put(html, "</section>\n");
}

/* The totals as a horizontal bar chart and as a table (which the script's filter reads). */
static int write_chart(report_html *html, const report_stats *stats)
{
    size_t largest = 1, bars = 0;
    for (int s = 0; s < SL_STATUS_COUNT; s++)
        if (stats->status_counts[s]) {
            bars++;
            largest = stats->status_counts[s] > largest ? stats->status_counts[s] : largest;
        }
    if (fprintf(html->file.fp, "<svg role=\"img\" aria-label=\"Records per status\" "
                "viewBox=\"0 0 640 %zu\" width=\"640\" height=\"%zu\">\n",
                bars * 28 + 8, bars * 28 + 8) < 0)
        return -1;
    size_t y = 4;
    for (int s = 0; s < SL_STATUS_COUNT; s++) {
        size_t count = stats->status_counts[s];
        if (!count)
            continue;
        double width = 400.0 * (double)count / (double)largest;
        if (fprintf(html->file.fp, "<text x=\"0\" y=\"%zu\">%s</text><rect class=\"bar %s\" "
                    "x=\"120\" y=\"%zu\" width=\"%.1f\" height=\"20\" rx=\"3\"></rect>"
                    "<text x=\"%.1f\" y=\"%zu\">%zu</text>\n", y + 15, sl_status_name(s),
                    sl_report_html_status_class(s), y, width < 1 ? 1 : width, 128 + width,
                    y + 15, count) < 0)
            return -1;
        y += 28;
    }
    return put(html, "</svg>\n");
}

static int write_totals(report_html *html, const report_stats *stats)
{
    if (put(html, "<section id=\"totals\">\n<h2>Totals</h2>\n<div class=\"chart\">\n") ||
        write_chart(html, stats) ||
        put(html, "<table id=\"totals-table\">\n<thead><tr><th>Status</th><th class=\"num\">"
                  "Records</th></tr></thead>\n<tbody>\n"))
        return -1;
    for (int s = 0; s < SL_STATUS_COUNT; s++) {
        if (!stats->status_counts[s])
            continue;
        if (fprintf(html->file.fp, "<tr data-status=\"%s\"><td>", sl_status_name(s)) < 0 ||
            status_badge(html, s) ||
            fprintf(html->file.fp, "</td><td class=\"num count\">%zu</td></tr>\n",
                    stats->status_counts[s]) < 0)
            return -1;
    }
    return fprintf(html->file.fp, "</tbody>\n<tfoot><tr><th>All records</th><th class=\"num\" "
                   "id=\"total-records\">%zu</th></tr></tfoot>\n</table>\n</div>\n</section>\n",
                   stats->rows) < 0 ? -1 : 0;
}

static int write_examples(report_html *html, int code)
{
    if (put(html, "<p class=\"muted\">Records: "))
        return -1;
    for (size_t i = 0; i < html->example_count[code]; i++)
        if (fprintf(html->file.fp, "%s%zu", i ? ", " : "", html->examples[code][i]) < 0)
            return -1;
    return put(html, html->example_count[code] == EXAMPLES_PER_CODE ? ", …</p>\n" : "</p>\n");
}

static int write_attention(report_html *html, const report_stats *stats)
{
    if (put(html, "<section id=\"attention\">\n<h2>Needs attention</h2>\n"))
        return -1;
    int any = 0;
    for (int code = SL_CODE_NONE + 1; code < SL_CODE_COUNT; code++) {
        if (!html->example_count[code])
            continue;
        any = 1;
        if (fprintf(html->file.fp, "<div class=\"reason\" data-code=\"%s\"><h3>%s: %zu "
                    "record%s</h3>\n<p>", sl_code_name(code), sl_code_name(code),
                    stats->code_counts[code], stats->code_counts[code] == 1 ? "" : "s") < 0 ||
            esc(html, sl_report_fix_for(sl_code_name(code))) || put(html, "</p>\n") ||
            write_examples(html, code) || put(html, "</div>\n"))
            return -1;
    }
    if (!any && put(html, "<p>Nothing: every record went through.</p>\n"))
        return -1;
    if (any && put(html, "<p class=\"muted\">Each of these records is in rejects.csv with its "
                         "code: correct it there and feed the file back.</p>\n"))
        return -1;
    return put(html, "</section>\n");
}

static int write_tail(report_html *html, const report_about *about)
{
    if (put(html, "]</script>\n"))
        return -1;
    if (html->omitted &&
        fprintf(html->file.fp, "<p class=\"muted\">%zu more records that went through are not "
                "listed here; results.csv has every record.</p>\n", html->omitted) < 0)
        return -1;
    return put(html, "</section>\n") || write_summary(html, about) ||
           write_totals(html, about->stats) || write_attention(html, about->stats) ||
           put(html, "</main>\n<script>") || put(html, report_html_script) ||
           put(html, "</script>\n</body>\n</html>\n");
}

int sl_report_html_close(report_html *html, const report_about *about, sl_error *err)
{
    errno = 0;
    if (write_tail(html, about) != 0 || sl_report_file_failed(&html->file)) {
        sl_error_set(err, "cannot write %s: %s", html->file.final_path,
                     errno ? strerror(errno) : "write error");
        sl_report_file_discard(&html->file);
        return -1;
    }
    return sl_report_file_commit(&html->file, err);
}

void sl_report_html_free(report_html *html)
{
    if (!html)
        return;
    sl_report_file_discard(&html->file);
    free(html);
}
