// Headless Debian Chromium driven by playwright-core, with axe-core for accessibility checks.
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { eventually } from './eventually.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `microphone`: Chromium's fake microphone (a tone), allowed without asking. */
export async function launch({ microphone = false } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // The machine has no outside network: keep Chromium from trying to reach Google's services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      ...(microphone ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : [])],
  });
  // On a loaded 2-core CI machine a local page can take longer than Playwright's 30 s default to
  // answer; a minute per step keeps a slow run from reading as a failure.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(60_000);
    const newPage = context.newPage.bind(context);
    context.newPage = async () => stallProof(await newPage());
    return context;
  };
  return browser;
}

/** How long a navigation may take to load before it is made again (at most three times). */
const NAVIGATION_MS = 20_000;

/** A static file of the site (what wrangler dev's asset server answers, not the worker). */
const STATIC = /^\/(assets|img|media)\/|^\/(favicon\.svg|manifest\.\w+\.webmanifest|sw\.js)$/;

/**
 * wrangler dev's local asset server now and then leaves one response unfinished: a 20 KB script
 * held for 60 s while the page waited on it (seen once in a full run; the symptom of
 * workers-sdk#3397), which production's asset service does not share. A `goto` that has not
 * loaded within 20 s while nothing but static files are still pending is made again (twice at
 * most), and says so on stderr; a page of the worker that hangs, or any other failure, is the
 * test's.
 */
function stallProof(page) {
  const pending = new Set();
  page.on('request', (r) => pending.add(r));
  page.on('requestfinished', (r) => pending.delete(r));
  page.on('requestfailed', (r) => pending.delete(r));
  const goto = page.goto.bind(page);
  page.goto = async (url, options = {}) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await goto(url, { timeout: NAVIGATION_MS, ...options });
      } catch (err) {
        const stalled = [...pending].map((r) => new URL(r.url()).pathname);
        const assetsOnly = stalled.length > 0 && stalled.every((p) => STATIC.test(p));
        if (attempt >= 3 || options.timeout || err?.name !== 'TimeoutError' || !assetsOnly) throw err;
        process.stderr.write(`goto ${url}: not loaded after ${NAVIGATION_MS / 1000} s, static files still pending (${stalled.join(', ')}): made again\n`);
      }
    }
  };
  return page;
}

/**
 * Clicks what leads to another page (a link, a form's button) and resolves once that page has
 * loaded: the click alone returns before the answer arrives, and a check run then (axe) met the
 * old page being torn down («Cannot read properties of null (reading 'appendChild')»).
 */
export async function clickAndLoad(page, locator) {
  const loaded = page.waitForEvent('load');
  await locator.click();
  await loaded;
}

let axeSource;
/** Runs axe-core (WCAG 2.x A/AA rules) on the page, once it has loaded; returns the violations. */
export async function axe(page) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.waitForLoadState('load');
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

/**
 * A staff member's browser, signed in the way staff do: the sign-in form, the link from the dev
 * inbox, the confirmation button. `width`: the viewport width (default Playwright's 1280).
 */
export async function staffPage(browser, w, email, { width } = {}) {
  // CSP bypassed only so that axe can be injected for the accessibility checks.
  const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true, ...(width ? { viewport: { width, height: 900 } } : {}) });
  const page = await context.newPage();
  // Signed out, the workspace leads to the sign-in page.
  await page.goto(w.url + '/agent');
  if (!/\/agent\/connexion$/.test(page.url())) throw new Error(`signed out, /agent led to ${page.url()}`);
  const before = w.inbox.state.mails.length;
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByRole('button', { name: 'Recevoir le lien de connexion' }).click();
  // The sign-in mail (staff also receive alerts about requests).
  const link = await eventually(() => w.inbox.state.mails.slice(before).filter((m) => m.to[0] === email)
    .map((m) => m.text.match(/(http:\/\/localhost:8787\/agent\/connexion\/[\w-]+)/)?.[1]).find(Boolean), { what: `the sign-in link for ${email}`, worker: w });
  await page.goto(link.replace('http://localhost:8787', w.url));
  await page.getByRole('button', { name: 'Me connecter' }).click();
  await page.waitForURL(/\/agent$/);
  return { context, page };
}
