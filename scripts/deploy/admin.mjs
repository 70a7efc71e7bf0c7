// make admin EMAIL=… [ENV=local|staging|production]: creates the first administrator, or makes an
// existing account an active administrator again. Idempotent: run it twice, one account.
//
//   node scripts/deploy/admin.mjs --email ops@example.ci [--env local] [--persist-to .wrangler/state] [--name "…"]
//
// Local: the database of `make dev` (or --persist-to). Staging/production: the remote D1 of that
// environment (wrangler must be logged in). The person then signs in at /agent/connexion with a
// one-time link sent to that address.
import { execFile } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback; };

const email = (arg('--email', '') ?? '').trim().toLowerCase();
const env = arg('--env', 'local');
const name = arg('--name', 'Administrateur Miliê');
// Validated before it reaches SQL: nothing but these characters can appear in the statement.
if (!/^[a-z0-9._%+-]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(email) || email.length > 254) {
  console.error('make admin: EMAIL must be an email address, e.g. make admin EMAIL=ops@example.ci');
  process.exit(2);
}
if (!['local', 'staging', 'production'].includes(env)) {
  console.error('make admin: ENV is local, staging or production');
  process.exit(2);
}
if (!/^[\p{L}\p{N} .'-]{1,100}$/u.test(name)) {
  console.error('make admin: NAME has letters, digits, spaces, dots, apostrophes and hyphens only');
  process.exit(2);
}
const quoted = (s) => `'${s.replaceAll("'", "''")}'`;
const sql = `INSERT INTO staff (email, name, role, body_id, active) VALUES (${quoted(email)}, ${quoted(name)}, 'admin', NULL, 1)
  ON CONFLICT (email) DO UPDATE SET role = 'admin', body_id = NULL, active = 1;
  DELETE FROM staff_bodies WHERE staff_id = (SELECT id FROM staff WHERE email = ${quoted(email)});`;
const where = env === 'local' ? ['--local', '--persist-to', arg('--persist-to', join(ROOT, '.wrangler/state'))] : ['--remote', '--env', env];
try {
  await run(join(ROOT, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'DB', ...where, '--command', sql],
    { cwd: ROOT, env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' }, maxBuffer: 16 << 20 });
} catch (err) {
  console.error(`make admin: wrangler d1 execute failed:\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
  process.exit(1);
}
console.log(`make admin: ${email} is an active administrator (${env}). Sign in at /agent/connexion: a one-time link goes to that address.`);
