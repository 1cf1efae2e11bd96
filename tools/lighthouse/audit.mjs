// Lighthouse on a list of pages with one Chromium for all of them (a browser start per page
// would cost seconds each): mobile form factor and simulated throttling (Lighthouse's
// defaults), the pages in sequence, each report written as JSON.
//
//   node audit.mjs --out DIR [--runs N] [--categories a,b,...]
//                  [--cookie NAME=VALUE [--cookie-path PREFIX]] URL...
//
// writes DIR/<page number>-<run number>.json (both from 0) for each page and run; a page that
// did not load has a report too, whose runtimeError says why. --cookie is sent (Lighthouse's
// extraHeaders) with the requests of the pages whose path starts with --cookie-path (/portal/
// by default), as a signed-in browser would send a session cookie; the other pages are
// audited as a visitor without it. Each run begins without the cookies earlier runs left
// (Lighthouse clears the origin's storage but its cookies, and Chromium sends the cookies it
// holds in place of an extra Cookie header: a page's lang=bn would drop the session of the
// next): every page is a first visit. The browser is CHROME_PATH (Debian's Chromium by
// default), headless, without a sandbox (CI runs as root).

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
    cookie: {type: 'string'},
    'cookie-path': {type: 'string', default: '/portal/'},
  },
});
if (!values.out || positionals.length === 0 || (values.cookie && !values.cookie.includes('='))) {
  console.error(
    'usage: node audit.mjs --out DIR [--runs N] [--categories a,b] ' +
      '[--cookie NAME=VALUE [--cookie-path PREFIX]] URL...',
  );
  process.exit(2);
}
const runs = Number.parseInt(values.runs, 10);
// What Lighthouse clears before each run by default (its constants.js), and the cookies.
const CLEARED = ['file_systems', 'shader_cache', 'service_workers', 'cache_storage'];
// The request headers of a page's runs: the cookie for the pages under its path only.
const headersOf = (url) =>
  values.cookie && new URL(url).pathname.startsWith(values['cookie-path'])
    ? {Cookie: values.cookie}
    : undefined;
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
        clearStorageTypes: [...CLEARED, 'cookies'],
        extraHeaders: headersOf(url),
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
