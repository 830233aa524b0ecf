// check_report.js: opens one report.html in Debian's Chromium (headless, through puppeteer-core)
// and prints what a person would see as one JSON line: console errors, page errors, dialogs,
// requests that left the page, the load time, the status totals shown, the rows listed at load,
// after "Show more" and while printing (A4 and Letter, with the pages and any overflow of the
// paper's width), the rows left by a search, whether given texts are shown, and what a hostile
// manifest could have injected. Optionally saves a screenshot and times `runs` more loads (the
// median of each timing). It asserts nothing: tests/e2e/test_report_html.sh does.
// Usage: node check_report.js '{"chromium": PATH, "profile": DIR, "report": FILE,
//          "search": TEXT?, "texts": [TEXT...]?, "screenshot": PNG?, "runs": N?, "pdf": false?}'
'use strict';
const puppeteer = require('puppeteer-core');

// Timings of one load of the page, in ms from navigation start: DOMContentLoaded, the load event,
// the first contentful paint and the page script's 'report-ready' mark (its first rows shown).
async function timings(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const at = (name) => {
      const entry = performance.getEntriesByName(name)[0];
      return entry ? Math.round(entry.startTime) : null;
    };
    return { dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd),
             load_ms: Math.round(nav.loadEventEnd), first_paint_ms: at('first-contentful-paint'),
             ready_ms: at('report-ready') };
  });
}

// Loads the page `runs` more times, each in a fresh tab; the median of each timing.
async function measure(browser, url, runs) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(url, { waitUntil: 'load', timeout: 120000 });
    await new Promise((resolve) => setTimeout(resolve, 100));   // let the first paint be recorded
    all.push(await timings(page));
    await page.close();
  }
  const median = {};
  for (const name of Object.keys(all[0])) {
    const values = all.map((t) => t[name]).filter((v) => v !== null).sort((x, y) => x - y);
    median[name] = values.length ? values[Math.floor(values.length / 2)] : null;
  }
  return { runs: all, median };
}

// Prints the page on a paper size: how far the printed layout is wider than the paper (CSS px,
// measured on the rows listed now: the columns have fixed widths; 0 when it fits), the rows in
// the table while printing, and the pages. With pdf false (a page so long that laying out and
// making its PDF takes minutes) the browser's beforeprint and afterprint events are dispatched
// around the count instead of printing, and pages is null.
async function print(page, format, widthPx, pdf) {
  await page.emulateMediaType('print');
  await page.setViewport({ width: widthPx, height: 900 });
  const overflow = await page.evaluate(() => Math.max(0,
    document.documentElement.scrollWidth - document.documentElement.clientWidth));
  await page.emulateMediaType(null);
  await page.setViewport({ width: 1280, height: 900 });
  await page.evaluate(() => {
    window.__printed = null;
    window.addEventListener('beforeprint', () => {
      window.__printed = document.querySelectorAll('#rows-body tr').length;
    }, { once: true });
  });
  let pages = null;
  if (pdf) {
    const margin = { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' };
    const bytes = await page.pdf({ format, margin, timeout: 240000 });
    pages = (Buffer.from(bytes).toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  } else {
    await page.evaluate(() => {
      window.dispatchEvent(new Event('beforeprint'));
      window.dispatchEvent(new Event('afterprint'));
    });
  }
  const rows = await page.evaluate(() => window.__printed);
  return { rows, pages, overflow_px: overflow };
}

async function inspect(browser, page, options, seen) {
  const url = 'file://' + options.report;
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  seen.load_ms = Date.now() - started;
  seen.timing = await timings(page);
  seen.totals = await page.evaluate(() => Object.fromEntries(
    Array.from(document.querySelectorAll('#totals-table tr[data-status]'),
               (row) => [row.dataset.status, Number(row.querySelector('.count').textContent)])));
  seen.total_records = await page.evaluate(
    () => Number(document.getElementById('total-records').textContent));
  seen.rows_at_load = await page.evaluate(() => document.querySelectorAll('#rows-body tr').length);
  seen.shown_line = await page.evaluate(() => document.getElementById('shown').textContent);
  seen.texts_shown = await page.evaluate((texts) => {
    const body = document.body.innerText;
    return texts.map((text) => body.includes(text));
  }, options.texts || []);
  seen.injected = await page.evaluate(() => ({
    scripts: document.scripts.length,
    images: document.images.length,
    owned: window.__owned === true,
    links_not_http: Array.from(document.links).filter((a) => !/^https?:$/.test(a.protocol)).length,
  }));
  seen.rows_after_more = await page.evaluate(() => {
    const more = document.getElementById('show-more');
    if (more.hidden) return null;
    more.click();
    return document.querySelectorAll('#rows-body tr').length;
  });
  // A4 and Letter less 12 mm margins, in CSS px (96 per inch)
  const pdf = options.pdf !== false;
  seen.print = { a4: await print(page, 'A4', Math.floor((210 - 24) / 25.4 * 96), pdf),
                 letter: await print(page, 'Letter', Math.floor((8.5 * 25.4 - 24) / 25.4 * 96), pdf) };
  seen.rows_after_print = await page.evaluate(() => document.querySelectorAll('#rows-body tr').length);
  if (options.search) {
    await page.type('#search', options.search);
    seen.search_rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#rows-body tr'), (row) => Number(row.cells[0].textContent)));
    await page.evaluate(() => {
      const box = document.getElementById('search');
      box.value = '';
      box.dispatchEvent(new Event('input'));
    });
  }
  if (options.screenshot) {
    // the whole page in one viewport: headless Chromium may leave tiles blank past the fold
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewport({ width: 1280, height: Math.min(height, 8000) });
    await page.screenshot({ path: options.screenshot });
  }
  if (options.runs) seen.timings = await measure(browser, url, options.runs);
}

async function main() {
  const options = JSON.parse(process.argv[2]);
  const seen = { console_errors: [], page_errors: [], dialogs: [], outside_requests: [] };
  const browser = await puppeteer.launch({
    executablePath: options.chromium,
    headless: true,
    userDataDir: options.profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on('console', (message) => {
      if (message.type() === 'error') seen.console_errors.push(message.text());
    });
    page.on('pageerror', (error) => seen.page_errors.push(String(error)));
    page.on('dialog', async (dialog) => {
      seen.dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) seen.outside_requests.push(request.url());
    });
    await inspect(browser, page, options, seen);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(seen) + '\n');
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
