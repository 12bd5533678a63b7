// The static files from a CDN: pages link them at the CDN's origin with a Subresource
// Integrity hash, the browser loads them from there under the Content-Security-Policy,
// and refuses a file the CDN altered.
//
// The CDN is a small pull-through server on another origin: it fetches /static/* from
// the tracker and, when told to, alters what it relays.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { startServer } from '../lib/server.mjs';
import { checkAccessibility, launch, newContext } from '../lib/browser.mjs';

let tracker;
let browser;
let cdn;
const relayed = [];
let tamper = false;

before(async () => {
  cdn = createServer(async (request, response) => {
    relayed.push(request.url);
    const upstream = await fetch(`${tracker.url}${request.url}`, { headers: { 'accept-encoding': 'identity' } });
    let body = Buffer.from(await upstream.arrayBuffer());
    if (tamper) body = Buffer.concat([body, Buffer.from('\n/* altered by the CDN */\n')]);
    const headers = {};
    for (const name of ['content-type', 'cache-control', 'access-control-allow-origin']) {
      const value = upstream.headers.get(name);
      if (value) headers[name] = value;
    }
    response.writeHead(upstream.status, headers);
    response.end(body);
  });
  await new Promise((listening) => cdn.listen(0, '127.0.0.1', listening));
  // The pages are served as 127.0.0.1 and the files as localhost: two origins.
  const origin = `http://localhost:${cdn.address().port}`;
  tracker = await startServer({ APP_SERVER__STATIC_ORIGIN: origin });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await tracker?.stop();
  await new Promise((closed) => (cdn ? cdn.close(closed) : closed()));
});

async function load() {
  const context = await newContext(browser);
  const page = await context.newPage();
  const response = await page.goto(`${tracker.url}/`);
  assert.equal(response.status(), 200);
  await page.waitForLoadState('load');
  const state = await page.evaluate(() => ({
    stylesheet: document.querySelector('link[rel="stylesheet"]').href,
    styled: document.querySelector('link[rel="stylesheet"]').sheet !== null,
    scripted: !document.getElementById('theme-toggle').hidden,
  }));
  return { context, page, state };
}

test('pages load the stylesheet and the script from the CDN, checked by integrity', async () => {
  const { context, page, state } = await load();
  assert.match(state.stylesheet, /^http:\/\/localhost:\d+\/static\/app\.[0-9a-f]{16}\.css$/);
  assert.ok(state.styled, 'the stylesheet from the CDN applies');
  assert.ok(state.scripted, 'the script from the CDN ran (it shows the theme toggle)');
  assert.ok(relayed.some((url) => url.endsWith('.css')) && relayed.some((url) => url.endsWith('.js')), `${relayed}`);
  await checkAccessibility(page, 'a page with the files from a CDN');
  await context.close();
});

test('a file the CDN altered is refused by the browser', async () => {
  tamper = true;
  try {
    const { context, state } = await load();
    assert.ok(!state.styled, 'the altered stylesheet is not applied');
    assert.ok(!state.scripted, 'the altered script does not run');
    await context.close();
  } finally {
    tamper = false;
  }
});
