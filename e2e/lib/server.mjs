// Starts the real asset-tracker binary on a fresh SQLite file and a free port, with an
// admin created through the CLI (as an operator would), and stops it afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const binary = process.env.ASSET_TRACKER_BIN ?? join(root, 'target', 'debug', 'asset-tracker');

export const ADMIN = { username: 'admin', password: 'e2e admin password 1' };

// With E2E_POSTGRES_URL (a server's maintenance database, such as
// postgres://postgres@127.0.0.1:5432/postgres) the run uses a fresh PostgreSQL database
// instead of a SQLite file, created and dropped with psql.
const postgresServer = process.env.E2E_POSTGRES_URL;

function psql(sql) {
  const result = spawnSync('psql', [postgresServer, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}${result.error ?? ''}`);
}

function databaseUrl(dir) {
  if (!postgresServer) return { url: `sqlite://${join(dir, 'e2e.db')}`, drop() {} };
  const name = `asset_tracker_e2e_${process.pid}_${Date.now()}`;
  psql(`CREATE DATABASE "${name}"`);
  const url = new URL(postgresServer);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

function environment(databaseUrl) {
  return {
    PATH: process.env.PATH,
    APP_PROFILE: 'testing',
    APP_DATABASE__URL: databaseUrl,
    APP_DATABASE__MAX_CONNECTIONS: '4',
    APP_SERVER__PORT: '0',
    APP_METRICS__ENABLED: 'false',
    // The flows log in several times and load many pages within a minute.
    APP_SECURITY__LOGIN_ATTEMPTS_PER_MINUTE: '100',
    APP_SECURITY__REQUESTS_PER_MINUTE: '100000',
  };
}

/**
 * Starts the server, with `settings` (APP_ variables) added to its environment;
 * resolves to { url, stop() } once /ready answers 200.
 */
export async function startServer(settings = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'asset-tracker-e2e-'));
  const database = databaseUrl(dir);
  const env = { ...environment(database.url), ...settings };
  const created = spawnSync(binary, ['create-admin', '--username', ADMIN.username, '--password-stdin'], {
    env,
    input: `${ADMIN.password}\n`,
    encoding: 'utf8',
  });
  if (created.status !== 0) {
    throw new Error(`create-admin failed (${created.status}): ${created.stderr}${created.error ?? ''}`);
  }
  const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/[^\s]+)/);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  await waitForReady(url);
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', done)));
      rmSync(dir, { recursive: true, force: true });
      database.drop();
    },
  };
}

async function waitForReady(url) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      const response = await fetch(`${url}/ready`);
      if (response.status === 200) return;
    } catch {
      // Not accepting yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url}/ready never answered 200`);
}
