// Lighthouse on a list of pages with one Chromium for all of them (a browser start per page
// would cost seconds each): mobile form factor and simulated throttling (Lighthouse's
// defaults), the pages in sequence, each report written as JSON.
//
//   node audit.mjs --out DIR [--runs N] [--categories a,b,...] URL...
//
// writes DIR/<page number>-<run number>.json (both from 0) for each page and run; a page that
// did not load has a report too, whose runtimeError says why. The browser is CHROME_PATH
// (Debian's Chromium by default), headless, without a sandbox (CI runs as root).

import fs from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const {values, positionals} = parseArgs({
  allowPositionals: true,
  options: {
    out: {type: 'string'},
    runs: {type: 'string', default: '1'},
    categories: {type: 'string', default: 'performance,accessibility,best-practices,seo'},
  },
});
if (!values.out || positionals.length === 0) {
  console.error('usage: node audit.mjs --out DIR [--runs N] [--categories a,b] URL...');
  process.exit(2);
}
const runs = Number.parseInt(values.runs, 10);
fs.mkdirSync(values.out, {recursive: true});

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  logLevel: 'silent',
});
let failed = 0;
try {
  for (const [page, url] of positionals.entries()) {
    for (let run = 0; run < runs; run++) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: values.categories.split(','),
        disableFullPageScreenshot: true,
      });
      if (!result) {
        console.error(`lighthouse gave no report on ${url}`);
        failed = 1;
        continue;
      }
      // A page that did not load still has its report: its runtimeError says why.
      fs.writeFileSync(path.join(values.out, `${page}-${run}.json`), result.report);
    }
  }
} finally {
  await chrome.kill();
}
process.exit(failed);
