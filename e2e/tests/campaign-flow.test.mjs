// The main flow, end to end in a real browser against the real binary on SQLite:
// an admin sets up a library and an active campaign, a manager records a mission and
// an event that loses two assets and gains one, the public sees the new quantities,
// and deleting the event restores them. Every page visited is checked with axe-core.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN, startServer } from '../lib/server.mjs';
import { checkAccessibility, launch, newContext, screenshot } from '../lib/browser.mjs';
import { currentQuantity, fillChangeRow, logIn, logOut, submitForm } from '../lib/forms.mjs';

const MANAGER = { username: 'sgt.e2e', password: 'manager password 1' };
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Visits `path`, asserts the status, and runs the accessibility check. */
async function visit(page, path, status = 200) {
  const response = await page.goto(`${server.url}${path}`);
  assert.equal(response.status(), status, `GET ${path}`);
  await checkAccessibility(page, path);
}

async function idFrom(page, pattern) {
  const match = page.url().match(pattern);
  assert.ok(match, `${page.url()} does not match ${pattern}`);
  return match[1];
}

test('a campaign runs end to end: set-up, an event, the public view, and undoing the event', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();

  await visit(page, '/');
  await visit(page, '/login');
  await logIn(page, server.url, ADMIN);

  // A library with three assets.
  await visit(page, '/manage/libraries/new');
  await submitForm(page, { name: 'E2E Armour', description: 'Made by the browser test', category: 'Modern' });
  const library = await idFrom(page, /\/manage\/libraries\/(\d+)$/);
  await checkAccessibility(page, 'library page');
  for (const [name, kind, quantity] of [['Kodiak tank', 'Vehicle', '4'], ['Ridgeback truck', 'Vehicle', '2'], ['Ration crate', 'Supply', '10']]) {
    await visit(page, `/manage/libraries/${library}/assets/new`);
    await submitForm(page, { name, kind, default_quantity: quantity });
    assert.match(page.url(), new RegExp(`/manage/libraries/${library}$`));
  }
  // One more from a CSV file, read into the form by the page's script, previewed, then imported.
  await visit(page, `/manage/libraries/${library}/import`);
  const assetsCsv = 'name,kind,category,description,default_quantity,unique,public\nField dressing,Medical,First aid,,20,no,yes\nKodiak tank,Vehicle,,,4,,\n';
  await page.locator('#csv-file').setInputFiles({ name: 'medical.csv', mimeType: 'text/csv', buffer: Buffer.from(assetsCsv) });
  await page.waitForFunction(() => document.getElementById('csv').value.includes('Field dressing'));
  await Promise.all([page.waitForLoadState('load'), page.locator('button[value="preview"]').click()]);
  assert.match(await page.locator('[data-preview] [role="status"]').textContent(), /1 to add, 1 to skip, 0 rejected/);
  await checkAccessibility(page, 'import preview');
  await Promise.all([page.waitForURL(new RegExp(`/manage/libraries/${library}$`)), page.locator('button[value="import"]').click()]);
  assert.match(await page.locator('main').textContent(), /1 asset imported \(1 skipped: names already present\)/);

  // An active campaign importing it, and a manager.
  await visit(page, '/admin/campaigns/new');
  await submitForm(page, { name: 'Operation E2E', start_date: '2026-01-01', library_ids: library, make_active: true });
  await visit(page, '/admin/users/new');
  await submitForm(page, { username: MANAGER.username, role: 'manager', password: MANAGER.password });
  await checkAccessibility(page, 'users page');
  await visit(page, '/admin');
  await visit(page, '/admin/audit');
  await logOut(page);

  // The manager records a mission and an event.
  await logIn(page, server.url, MANAGER);
  await visit(page, '/manage');
  const missionsLink = page.locator('a[href^="/manage/campaigns/"][href$="/missions"]').first();
  const campaign = (await missionsLink.getAttribute('href')).split('/')[3];
  await visit(page, `/manage/campaigns/${campaign}/pool`);
  assert.equal(await currentQuantity(page, 'Kodiak tank'), 4);
  await visit(page, `/manage/campaigns/${campaign}/missions/new`);
  await submitForm(page, { name: 'Dawn raid', location: 'Kavala' });
  const mission = await idFrom(page, /\/manage\/missions\/(\d+)$/);

  await visit(page, `/manage/missions/${mission}/events/new`);
  await page.locator('[name="title"]').fill('Ambush at Kavala');
  await page.locator('[name="occurred_at"]').fill('2026-01-02T20:30');
  await fillChangeRow(page, 0, { asset: /^Kodiak tank/, delta: -2, note: 'lost in the ambush' });
  await fillChangeRow(page, 1, { asset: /^Ridgeback truck/, delta: 1, note: 'captured' });
  await screenshot(page, 'event-form');
  await submitForm(page, { kind: 'Combat' });
  const event = await idFrom(page, /\/manage\/events\/(\d+)$/);
  await checkAccessibility(page, 'event page');

  // The campaign's report sums it up, and prints as the report alone.
  await visit(page, `/manage/campaigns/${campaign}/report`);
  const losses = page.locator('table[data-summary="largest-losses"]');
  assert.match(await losses.textContent(), /Kodiak tank\s*2/);
  await screenshot(page, 'report', { fullPage: false });
  // Its charts: each kind over time, and one asset chosen from the list.
  for (const chart of ['kinds', 'asset', 'statuses', 'losses']) {
    assert.equal(await page.locator(`figure[data-chart="${chart}"] svg`).isVisible(), true, `the ${chart} chart`);
  }
  const kinds = await page.locator('table[data-summary="kinds"] tbody tr').count();
  assert.equal(await page.locator('figure[data-chart="kinds"] path.line').count(), kinds, 'a line per kind');
  await page.locator('#asset').selectOption({ label: 'Ridgeback truck (Vehicle)' });
  await Promise.all([page.waitForURL(/[?&]asset=\d+#asset-chart$/), page.locator('#asset-chart button').click()]);
  assert.match(await page.locator('#asset-chart-heading').textContent(), /Ridgeback truck/);
  await checkAccessibility(page, 'report page');
  // The README's picture: the per-kind table and its chart on one screen.
  await page.locator('#by-kind-heading').evaluate((heading) => window.scrollTo(0, heading.offsetTop - 16));
  await screenshot(page, 'report-charts', { fullPage: false });
  const csv = await page.request.get(`${server.url}/manage/campaigns/${campaign}/report.csv`);
  assert.match(csv.headers()['content-disposition'], /^attachment; filename="operation-e2e-\d{4}-\d{2}-\d{2}\.csv"$/);
  const rows = await csv.text();
  assert.ok(rows.startsWith('library,asset,kind,category,initial,current,gained,lost,net\r\n'), rows);
  assert.ok(rows.includes('\r\nE2E Armour,Kodiak tank,Vehicle,,4,2,0,2,-2\r\n'), rows);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'no navigation on paper');
  assert.equal(await page.locator('nav.breadcrumbs').isVisible(), false);
  assert.equal(await page.locator('table[data-summary="kinds"]').isVisible(), true, 'the report itself prints');
  assert.equal(await page.locator('figure[data-chart="kinds"] svg').isVisible(), true, 'with its charts');
  await screenshot(page, 'report-print');
  await page.emulateMedia({ media: 'screen' });

  // The public sees the new quantities and the event on the timeline.
  // The public view in the dark theme (the default at night), the admin pages above in the light one.
  const visitor = await (await newContext(browser, { colorScheme: 'dark' })).newPage();
  await visit(visitor, '/');
  assert.equal(await currentQuantity(visitor, 'Kodiak tank'), 2);
  assert.equal(await currentQuantity(visitor, 'Ridgeback truck'), 3);
  assert.match(await visitor.locator('[data-card="last-mission"]').textContent(), /-1\s*Dawn raid/, 'the raid lost 2, gained 1');
  assert.equal(await visitor.locator('figure[data-chart="trend"] svg').isVisible(), true, 'the trend over the missions');
  await screenshot(visitor, 'public-dashboard');
  await screenshot(visitor, 'public-dashboard-first-screen', { fullPage: false });
  await visit(visitor, '/timeline');
  const entry = visitor.locator('[data-event="Ambush at Kavala"]');
  assert.match(await entry.locator('[data-change="Kodiak tank"]').textContent(), /-2/);
  assert.match(await entry.locator('[data-change="Ridgeback truck"]').textContent(), /\+1/);
  // The mission list and the mission's own page show the same event.
  await visit(visitor, '/missions');
  await Promise.all([
    visitor.waitForURL(/\/missions\/\d+$/),
    visitor.locator('main a[href^="/missions/"]').first().click(),
  ]);
  await checkAccessibility(visitor, 'public mission page');
  const onMission = visitor.locator('[data-event="Ambush at Kavala"]');
  assert.match(await onMission.locator('[data-change="Kodiak tank"]').textContent(), /-2/);
  await screenshot(visitor, 'public-mission');
  const api = await (await fetch(`${server.url}/api/v1/pool`)).json();
  assert.ok(JSON.stringify(api).includes('Kodiak tank'));

  // Deleting the event restores the quantities exactly.
  await visit(page, `/manage/events/${event}/delete`);
  assert.match(await page.locator('main').textContent(), /Kodiak tank/);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/delete')), page.locator('main form button[type="submit"]').first().click()]);
  await visit(visitor, '/');
  assert.equal(await currentQuantity(visitor, 'Kodiak tank'), 4);
  assert.equal(await currentQuantity(visitor, 'Ridgeback truck'), 2);

  await logOut(page);
  await context.close();
});

test('a bad form is shown again with the message beside the field and changes nothing', async () => {
  const page = await (await newContext(browser)).newPage();
  await logIn(page, server.url, ADMIN);
  await visit(page, '/manage/libraries/new');
  const rejected = page.waitForResponse((r) => r.request().method() === 'POST');
  await submitForm(page, { name: '   ', category: 'Modern' });
  assert.equal((await rejected).status(), 422);
  const name = page.locator('[name="name"]');
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  const describedBy = await name.getAttribute('aria-describedby');
  assert.match(await page.locator(`#${describedBy}`).textContent(), /must not be empty/);
  await checkAccessibility(page, 'library form with an error');
  // Re-rendered in place (422), not redirected to a created library.
  assert.match(page.url(), /\/manage\/libraries\/new$/);
  await logOut(page);
});

test('a wrong password says only that the username or password is invalid', async () => {
  const page = await (await newContext(browser)).newPage();
  await visit(page, '/login');
  await submitForm(page, { username: 'admin', password: 'not the password' });
  assert.match(await page.locator('main').textContent(), /invalid username or password/i);
  assert.equal(await page.locator('[name="username"]').inputValue(), 'admin');
  await checkAccessibility(page, 'login with an error');
});

test('a script token is made on the profile page, shown once, works against the API, and stops when revoked', async () => {
  const page = await (await newContext(browser)).newPage();
  await logIn(page, server.url, ADMIN);
  await visit(page, '/profile');
  const made = page.waitForResponse((r) => r.request().method() === 'POST');
  await submitForm(page, { name: 'E2E bot', expires_in_days: '7' });
  assert.equal((await made).status(), 200);
  await checkAccessibility(page, 'profile with a new token');
  const token = (await page.locator('[data-token]').textContent()).trim();
  assert.match(token, /^atk_[0-9a-f]{64}$/);
  await screenshot(page, 'api-token');

  const bearer = { Authorization: `Bearer ${token}` };
  const campaigns = await fetch(`${server.url}/api/v1/campaigns`, { headers: bearer });
  assert.equal(campaigns.status, 200);
  assert.ok(Array.isArray((await campaigns.json()).items));
  const refused = await fetch(`${server.url}/api/v1/campaigns`);
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).error.code, 'unauthorized');

  // The reference page lists the operations, and the token is not shown again.
  await visit(page, '/api');
  assert.match(await page.locator('main').textContent(), /POST \/api\/v1\/missions\/\{id\}\/events/);
  await visit(page, '/profile');
  assert.doesNotMatch(await page.locator('main').textContent(), new RegExp(token));
  await Promise.all([page.waitForLoadState('load'), page.locator('[data-token-row="E2E bot"] button[type="submit"]').click()]);
  assert.match(await page.locator('main').textContent(), /no longer works/);
  assert.equal((await fetch(`${server.url}/api/v1/campaigns`, { headers: bearer })).status, 401);
  await logOut(page);
});
