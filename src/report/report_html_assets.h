/* report_html_assets.h: the style sheet and the script of report.html (private to src/report).
 * Plain CSS and JavaScript, no library: the page must open from disk with no network. The script
 * filters the rows table (search box, status, "needs attention"); a search that equals an order's
 * name or number keeps exactly that order's rows. */
#ifndef SHIPLOAD_REPORT_HTML_ASSETS_H
#define SHIPLOAD_REPORT_HTML_ASSETS_H

static const char report_html_style[] =
    ":root{--ok:#1e7b34;--ok-bg:#e3f4e6;--bad:#a4161a;--bad-bg:#fde4e4;--mid:#8a5a00;"
    "--mid-bg:#fff3d6;--line:#d8dbe0;--muted:#5c6370}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "color:#1d2127;background:#f6f7f9}\n"
    "#page{display:flex;flex-direction:column;gap:16px;max-width:1280px;margin:0 auto;"
    "padding:16px}\n"
    "#page>section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px}\n"
    "#summary{order:1}#totals{order:2}#attention{order:3}#rows{order:4}\n"
    "h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:0 0 12px}"
    "h3{font-size:15px;margin:14px 0 4px}\n"
    ".facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}"
    ".facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}\n"
    ".verdict{font-weight:600;margin:8px 0 0}.verdict.bad{color:var(--bad)}"
    ".verdict.ok{color:var(--ok)}\n"
    ".st{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;font-weight:600;"
    "white-space:nowrap}\n"
    ".st.ok{color:var(--ok);background:var(--ok-bg)}.st.bad{color:var(--bad);"
    "background:var(--bad-bg)}.st.mid{color:var(--mid);background:var(--mid-bg)}\n"
    ".chart{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}"
    ".chart svg{max-width:640px;width:100%;height:auto}\n"
    ".bar.ok{fill:#3c9a55}.bar.bad{fill:#c8373c}.bar.mid{fill:#d19a1c}"
    "svg text{font:13px system-ui,Arial,sans-serif;fill:#1d2127}\n"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid "
    "var(--line);overflow-wrap:anywhere}\n"
    "th{background:#eef0f3;position:sticky;top:0;white-space:nowrap}"
    "td.num,th.num{text-align:right}td.num,td.nw{white-space:nowrap;overflow-wrap:normal}\n"
    "#totals-table{width:auto}\n"
    ".reason{margin:0 0 12px;padding:8px 12px;border-left:4px solid var(--bad);"
    "background:#fff8f8}.reason p{margin:2px 0}.muted{color:var(--muted)}\n"
    ".tools{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-bottom:8px}"
    ".tools input[type=search]{min-width:260px;padding:4px 8px}\n"
    "tr.bad td{background:#fffafa}small{color:var(--muted)}\n"
    "a{color:#0b57d0}\n"
    "@page{margin:12mm}\n"
    "@media print{body{background:#fff;font-size:9pt}#page{max-width:none;padding:0}"
    "#page>section{border:0;padding:0 0 8px}.tools{display:none}th{position:static}"
    "thead{display:table-header-group}tr{break-inside:avoid}a{color:inherit;"
    "text-decoration:none}.reason{break-inside:avoid}}\n";

static const char report_html_script[] =
    "(function(){'use strict';\n"
    "var table=document.getElementById('rows-table');if(!table)return;\n"
    "var rows=Array.prototype.slice.call(table.tBodies[0].rows);\n"
    "var search=document.getElementById('search'),pick=document.getElementById('status-filter'),"
    "only=document.getElementById('attention-only'),shown=document.getElementById('shown');\n"
    "var texts=rows.map(function(r){return r.textContent.toLowerCase();});\n"
    "function key(s){return s.trim().replace(/^#/,'').toLowerCase();}\n"
    "var orders=rows.map(function(r){return[key(r.getAttribute('data-order')||''),"
    "key(r.getAttribute('data-ref')||'')];});\n"
    "document.querySelectorAll('#totals-table tr[data-status]').forEach(function(t){\n"
    "var o=document.createElement('option');o.value=o.textContent=t.getAttribute('data-status');"
    "pick.appendChild(o);});\n"
    "function apply(){var text=search.value.trim().toLowerCase(),k=key(search.value),"
    "status=pick.value,bad=only.checked,exact=false,n=0,i;\n"
    "if(k)for(i=0;i<rows.length&&!exact;i++)exact=orders[i][0]===k||orders[i][1]===k;\n"
    "for(i=0;i<rows.length;i++){var r=rows[i],keep=(!text||(exact?orders[i][0]===k||"
    "orders[i][1]===k:texts[i].indexOf(text)>=0))&&(!status||r.getAttribute('data-status')"
    "===status)&&(!bad||r.className==='bad');r.hidden=!keep;if(keep)n++;}\n"
    "shown.textContent=n+' of '+rows.length+' rows shown';}\n"
    "search.addEventListener('input',apply);pick.addEventListener('change',apply);"
    "only.addEventListener('change',apply);apply();\n"
    "})();\n";

#endif
