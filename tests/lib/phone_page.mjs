// Helpers for the tests of the phone page callgate serves itself (web/, README "The phone
// page"): open it from callgate in headless Debian Chromium on a phone-sized screen, fill and
// click its own fields and buttons, wait for visible text, take checked screenshots.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CHROMIUM, CHROMIUM_ARGS, E2E } from './e2e.mjs';
import { LOOPBACK, REPO_ROOT } from './procs.mjs';

const require = createRequire(import.meta.url);

/** A phone-sized viewport (CSS pixels). */
export const PHONE_VIEWPORT = { width: 390, height: 844 };

/** The page as callgate serves it on its ws port. */
export const PAGE_URL = `http://${LOOPBACK}:${E2E.ws}/`;

/** The account of the e2e layout, as the page's form fields (ids in web/index.html). */
export function pageAccount(overrides = {}) {
  return {
    sipLogin: '1000',
    sipAuthName: '1000',
    sipPassword: '1234',
    sipDomain: LOOPBACK,
    sipOutboundProxy: LOOPBACK,
    sipPort: String(E2E.kamailio),
    ...overrides,
  };
}

/**
 * Launches Chromium and opens the page from callgate. Console, page errors and failed requests
 * go to <ctx.dir>/browser.log. Waits until the page applied its settings (phone.ready).
 */
export async function openPhonePage(ctx, url = PAGE_URL) {
  const { chromium } = require('playwright-core');
  const logFile = path.join(ctx.dir, 'browser.log');
  const log = (line) => fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30000 });
  ctx.onCleanup(() => browser.close().catch(() => {}));
  const context = await browser.newContext({ permissions: ['microphone', 'camera'], viewport: PHONE_VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (m) => log(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log(`pageerror: ${e.stack ?? e}`));
  page.on('requestfailed', (r) => log(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url, { waitUntil: 'load', timeout: 15000 });
  await page.waitForFunction(() => window.phone && window.phone.ready, null, { timeout: 10000 });
  return { browser, context, page, pageErrors, logFile };
}

/** Types `fields` ({id: value}; booleans tick checkboxes) into the page's inputs. */
export async function fillFields(page, fields) {
  for (const [id, value] of Object.entries(fields)) {
    if (typeof value === 'boolean') await page.setChecked(`#${id}`, value);
    else await page.fill(`#${id}`, String(value));
  }
}

/** Waits until #id's visible text matches `re`; the error names what the page showed. */
export async function waitText(page, id, re, timeoutMs = 10000) {
  try {
    await page.waitForFunction(([i, src, flags]) => {
      const el = document.getElementById(i);
      return el && new RegExp(src, flags).test(el.textContent);
    }, [id, re.source, re.flags], { timeout: timeoutMs, polling: 100 });
  } catch (err) {
    const shown = await page.evaluate(() => ({
      connection: document.getElementById('connectionStatus')?.textContent,
      registration: document.getElementById('registrationStatus')?.textContent,
      call: document.getElementById('callStatus')?.textContent,
      message: document.getElementById('message')?.textContent,
      events: (window.phone?.events ?? []).map((e) => `${e.kind}:${e.status}${e.info ? '(' + e.info + ')' : ''}`).join(', '),
    })).catch(() => ({}));
    throw new Error(`#${id} never matched ${re} within ${timeoutMs} ms; the page shows ${JSON.stringify(shown)}`);
  }
  return page.textContent(`#${id}`);
}

/** #id is visible and its text matches `re`. */
export async function assertVisibleText(page, id, re) {
  const loc = page.locator(`#${id}`);
  assert.ok(await loc.isVisible(), `#${id} is visible`);
  assert.match(await loc.textContent(), re, `#${id} text`);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(buf) {
  assert.ok(buf.length > 24 && buf.subarray(1, 4).toString('latin1') === 'PNG', 'a PNG file');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/**
 * Screenshot of the whole page into <ctx.dir>/phone-<name>.png after checking that each
 * {id: regex} in `expect` is visible with that text; the PNG must be a real picture of at
 * least the viewport's width (not an empty file). Returns the file path.
 */
export async function screenshotState(ctx, page, name, expect, { copyTo = null } = {}) {
  for (const [id, re] of Object.entries(expect)) await assertVisibleText(page, id, re);
  const file = path.join(ctx.dir, `phone-${name}.png`);
  const buf = await page.screenshot({ path: file, fullPage: true });
  const size = pngSize(buf);
  assert.ok(buf.length > 10000, `screenshot ${name} has content (${buf.length} bytes)`);
  assert.ok(size.width >= PHONE_VIEWPORT.width && size.height >= 300, `screenshot ${name} size ${JSON.stringify(size)}`);
  if (copyTo) {
    fs.mkdirSync(path.dirname(copyTo), { recursive: true });
    fs.copyFileSync(file, copyTo);
  }
  console.log(`screenshot ${name}: ${file} (${buf.length} bytes, ${size.width}x${size.height})`);
  return file;
}

/** Where the README's screenshot lives; written only with CALLGATE_UPDATE_DOCS_IMAGES=1. */
export function docsImage(name) {
  return process.env.CALLGATE_UPDATE_DOCS_IMAGES === '1' ? path.join(REPO_ROOT, 'docs', 'images', name) : null;
}

/** Max of the page's audio level `which` ('local'|'remote') sampled every 100 ms for ms. */
export async function maxLevel(page, which, ms) {
  let max = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    max = Math.max(max, await page.evaluate((w) => window.phone.levels[w], which));
    await new Promise((r) => setTimeout(r, 100));
  }
  return max;
}
