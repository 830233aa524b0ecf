// check_report.js: opens one report.html in Debian's Chromium (headless, through puppeteer-core)
// and prints what a person would see as one JSON line: console errors, page errors, dialogs,
// requests that left the page, the load time, the status totals shown, the rows left by a search,
// whether given texts are shown, and what a hostile manifest could have injected. Optionally
// saves a screenshot. It asserts nothing: tests/e2e/test_report_html.sh does.
// Usage: node check_report.js '{"chromium": PATH, "profile": DIR, "report": FILE,
//          "search": TEXT?, "texts": [TEXT...]?, "screenshot": PNG?}'
'use strict';
const puppeteer = require('puppeteer-core');

async function inspect(page, options, seen) {
  const started = Date.now();
  await page.goto('file://' + options.report, { waitUntil: 'load', timeout: 60000 });
  seen.load_ms = Date.now() - started;
  seen.timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd),
             load_ms: Math.round(nav.loadEventEnd) };
  });
  seen.totals = await page.evaluate(() => Object.fromEntries(
    Array.from(document.querySelectorAll('#totals-table tr[data-status]'),
               (row) => [row.dataset.status, Number(row.querySelector('.count').textContent)])));
  seen.total_records = await page.evaluate(
    () => Number(document.getElementById('total-records').textContent));
  seen.rows = await page.evaluate(() => document.querySelectorAll('#rows-body tr').length);
  seen.shown_line = await page.evaluate(() => document.getElementById('shown').textContent);
  seen.texts_shown = await page.evaluate((texts) => {
    const body = document.body.innerText;
    return texts.map((text) => body.includes(text));
  }, options.texts || []);
  seen.injected = await page.evaluate(() => ({
    scripts: document.scripts.length,
    images: document.images.length,
    owned: window.__owned === true,
  }));
  if (options.search) {
    await page.type('#search', options.search);
    seen.search_rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#rows-body tr'))
        .filter((row) => !row.hidden)
        .map((row) => Number(row.cells[0].textContent)));
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
    await inspect(page, options, seen);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(seen) + '\n');
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
