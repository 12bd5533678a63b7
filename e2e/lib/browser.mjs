// Headless Chromium from Debian's package, driven by playwright-core, and the axe-core
// accessibility check run on every page the flows visit.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const root = resolve(import.meta.dirname, '..', '..');
export const screenshots = join(root, 'target', 'screenshots');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * A browser context that records every Content-Security-Policy violation of its pages
 * (checked by `checkAccessibility`). The recorder is an init script, which the browser
 * runs outside the page's policy, as it runs axe-core below: the pages themselves stay
 * under the policy the server sends.
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext(options);
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
    });
  });
  return context;
}

/**
 * Runs axe-core on the page; throws listing every serious or critical violation, and
 * every Content-Security-Policy violation the page caused.
 */
export async function checkAccessibility(page, label) {
  const blocked = await page.evaluate(() => window.__cspViolations ?? []);
  if (blocked.length > 0) {
    throw new Error(`Content-Security-Policy violations on ${label} (${page.url()}):\n${blocked.join('\n')}`);
  }
  // Evaluated through the DevTools protocol, not as an inline <script>, so the page's
  // policy (no inline scripts) need not be bypassed.
  await page.evaluate(`${axeSource}\n;undefined`);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  const severe = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (severe.length > 0) {
    const lines = severe.map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    throw new Error(`accessibility violations on ${label} (${page.url()}):\n${lines.join('\n')}`);
  }
}

/** Saves a full-page screenshot to target/screenshots/<name>.png (or only the first screen). */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage });
}
