// Small helpers over playwright: fill a form by field names and submit it the way a
// user would (clicking its submit button), and log in and out.
import assert from 'node:assert/strict';

/**
 * Fills the fields of the form that holds the first named field, then clicks that
 * form's submit button. Values: strings fill inputs and pick <select> options by
 * label (a RegExp matches part of the label); `true`/`false` check or uncheck.
 */
export async function submitForm(page, fields) {
  const names = Object.keys(fields);
  const form = page.locator('form', { has: page.locator(`[name="${names[0]}"]`) }).first();
  for (const [name, value] of Object.entries(fields)) {
    const field = form.locator(`[name="${name}"]`).first();
    const tag = await field.evaluate((el) => el.tagName.toLowerCase());
    const type = await field.evaluate((el) => el.getAttribute('type') ?? '');
    if (typeof value === 'boolean') {
      await field.setChecked(value);
    } else if (tag === 'select') {
      await selectByLabel(field, value);
    } else if (type === 'checkbox') {
      await form.locator(`[name="${name}"][value="${value}"]`).check();
    } else {
      await field.fill(value);
    }
  }
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type="submit"]').first().click()]);
  await page.waitForLoadState('load');
}

/** Picks the option whose label matches `wanted` (a string for an exact label or a RegExp). */
export async function selectByLabel(select, wanted) {
  const options = await select.locator('option').evaluateAll((all) => all.map((o) => ({ value: o.value, label: o.textContent.trim() })));
  const match = options.find((o) => (wanted instanceof RegExp ? wanted.test(o.label) : o.label === wanted || o.value === wanted));
  assert.ok(match, `no option ${wanted} among ${options.map((o) => o.label).join(' | ')}`);
  await select.selectOption(match.value);
}

/** Fills the n-th change row of the event form (rows are repeated fields). */
export async function fillChangeRow(page, index, { asset, delta, note = '' }) {
  await selectByLabel(page.locator('[name="change_entry"]').nth(index), asset);
  await page.locator('[name="change_delta"]').nth(index).fill(String(delta));
  await page.locator('[name="change_note"]').nth(index).fill(note);
}

export async function logIn(page, baseUrl, { username, password }) {
  await page.goto(`${baseUrl}/login`);
  await submitForm(page, { username, password });
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

export async function logOut(page) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Log out' }).click()]);
  await page.getByRole('link', { name: /log in/i }).first().waitFor();
}

/** The current quantity shown in a pool table row for `asset`. */
export async function currentQuantity(page, asset) {
  const cell = page.locator(`tr[data-asset="${asset}"] [data-current]`).first();
  return Number((await cell.textContent()).trim());
}
