#!/usr/bin/env node
// Backups and the restore drill (OPERATIONS.md «Sauvegarde et restauration»).
//
//   node scripts/ops/backup.mjs backup  --env local|staging|production [--state DIR] [--out DIR]
//   node scripts/ops/backup.mjs restore --from DIR [--state DIR] [--replace]
//
// A backup is a directory: `d1.sql` (wrangler's export of the whole database, schema and data),
// `r2/` (every object the database refers to: attachments, and the institutional video) and
// `manifest.json` (each object's key, size and SHA-256, the export's SHA-256, when and from where).
// A restore rebuilds a *local* state directory from one: it refuses a database that is not empty
// unless told to replace it, applies the export, puts every object back and checks each checksum.
// Production restores use D1 Time Travel (point in time) and the objects of a backup (OPERATIONS.md).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getPlatformProxy } from 'wrangler';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
const BUCKETS = { local: 'milie-files', staging: 'milie-files-staging', production: 'milie-files-production' };
const VIDEO = 'media/video-institutionnelle.webm';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const wrangler = async (args, options = {}) => {
  try {
    return await run(WRANGLER, args, { cwd: ROOT, env: ENV, maxBuffer: 64 << 20, ...options });
  } catch (err) {
    throw new Error(`wrangler ${args.join(' ')} failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
};

/**
 * The export's statements in an order a fresh database takes: pragmas, then every table, then
 * the rows, then indexes, triggers and views. wrangler writes each table followed by its rows, so
 * a row whose foreign key names a table created later (requests → api_keys, added by a later
 * migration) is refused. Splits on `;` outside quotes; a trigger's body runs to its `END;`.
 */
export function orderedDump(sql) {
  const statements = [];
  let current = '';
  let quote = null;
  let word = '';
  let depth = 0; // a trigger's BEGIN … END, with its CASE … END inside
  const endWord = () => {
    const w = word.toUpperCase();
    word = '';
    if (!/^\s*CREATE\s+TRIGGER\b/i.test(current)) return;
    if (w === 'BEGIN' || w === 'CASE') depth += 1;
    else if (w === 'END') depth -= 1;
  };
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    current += ch;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) { word += ch; continue; }
    if (word) endWord();
    if (ch === "'" || ch === '"' || ch === '`') { quote = ch; continue; }
    if (ch !== ';' || depth > 0) continue;
    if (current.trim() !== ';') statements.push(current.trim());
    current = '';
    depth = 0;
  }
  if (current.trim()) statements.push(current.trim());
  const rank = (st) => (/^PRAGMA\b/i.test(st) ? 0 : /^CREATE\s+TABLE\b/i.test(st) ? 1 : /^(INSERT|UPDATE|DELETE)\b/i.test(st) ? 2 : 3);
  return statements.map((st, i) => [rank(st), i, st]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , st]) => st).join('\n') + '\n';
}

/** The local D1 and R2 of a state directory, through wrangler's platform proxy. */
async function local(state) {
  return getPlatformProxy({ configPath: join(ROOT, 'wrangler.toml'), persist: { path: join(state, 'v3') }, remoteBindings: false, envFiles: [] });
}

/** `wrangler d1 export` of a local state directory: it reads `.wrangler/state` under its working
 * directory, so it runs in a scratch directory whose `.wrangler/state` is the state given. */
async function exportLocal(state, file) {
  const scratch = await mkdtemp(join(tmpdir(), 'milie-export-'));
  try {
    await copyFile(join(ROOT, 'wrangler.toml'), join(scratch, 'wrangler.toml'));
    await mkdir(join(scratch, '.wrangler'));
    await symlink(state, join(scratch, '.wrangler', 'state'));
    await wrangler(['d1', 'export', 'DB', '--local', '--output', file], { cwd: scratch });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The R2 keys an export refers to: every attachment (staged or not), and the video. */
function keysOf(sql) {
  const keys = new Set([VIDEO]);
  for (const m of sql.matchAll(/'(attachments\/[A-Za-z0-9_-]+)'/g)) keys.add(m[1]);
  return [...keys].sort();
}

/** Backs up `env` (the local state directory `state` when env is «local») into `out`. */
export async function backup({ env = 'local', state = join(ROOT, '.wrangler', 'state'), out }) {
  state = resolve(state);
  if (!BUCKETS[env]) throw new Error(`backup: --env local, staging or production (not ${env})`);
  out ??= join(ROOT, 'backups', `${env}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(join(out, 'r2'), { recursive: true });
  const file = join(out, 'd1.sql');
  if (env === 'local') await exportLocal(state, file);
  else await wrangler(['d1', 'export', 'DB', '--remote', '--env', env, '--output', file, '--config', 'wrangler.toml']);
  const sql = await readFile(file, 'utf8');
  const objects = [];
  const proxy = env === 'local' ? await local(state) : null;
  try {
    for (const key of keysOf(sql)) {
      const target = join(out, 'r2', key);
      await mkdir(dirname(target), { recursive: true });
      let bytes;
      if (proxy) {
        const object = await proxy.env.FILES.get(key);
        if (!object) { objects.push({ key, missing: true }); continue; }
        bytes = Buffer.from(await object.arrayBuffer());
        await writeFile(target, bytes);
      } else {
        try {
          await wrangler(['r2', 'object', 'get', `${BUCKETS[env]}/${key}`, '--remote', '--file', target, '--env', env]);
        } catch { objects.push({ key, missing: true }); continue; }
        bytes = await readFile(target);
      }
      objects.push({ key, size: bytes.length, sha256: sha256(bytes) });
    }
  } finally {
    await proxy?.dispose();
  }
  const manifest = { env, at: new Date().toISOString(), d1: { file: 'd1.sql', sha256: sha256(sql) }, r2: { bucket: BUCKETS[env], objects } };
  await writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { out, manifest };
}

/** Rebuilds the local state directory `state` from the backup `from`. */
export async function restore({ from, state = join(ROOT, '.wrangler', 'state'), replace = false }) {
  state = resolve(state);
  const manifest = JSON.parse(await readFile(join(from, 'manifest.json'), 'utf8'));
  const sql = await readFile(join(from, 'd1.sql'), 'utf8');
  if (sha256(sql) !== manifest.d1.sha256) throw new Error('restore: d1.sql does not match its manifest');
  if (existsSync(join(state, 'v3'))) {
    const proxy = await local(state);
    let tables;
    try {
      tables = (await proxy.env.DB.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name <> 'sqlite_sequence'").all()).results[0].n;
    } finally {
      await proxy.dispose();
    }
    if (tables > 0 && !replace) throw new Error(`restore: ${state} holds a database already (${tables} tables); pass --replace (make restore … REPLACE=1) to wipe it`);
    if (tables > 0) await rm(join(state, 'v3'), { recursive: true, force: true });
  }
  await mkdir(state, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'milie-restore-'));
  try {
    await writeFile(join(work, 'd1.sql'), orderedDump(sql));
    await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', join(work, 'd1.sql')]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const proxy = await local(state);
  const restored = [];
  try {
    for (const o of manifest.r2.objects) {
      if (o.missing) continue;
      const bytes = await readFile(join(from, 'r2', o.key));
      if (sha256(bytes) !== o.sha256) throw new Error(`restore: ${o.key} does not match its checksum`);
      // A copy of its own: a pooled Buffer (an offset into a larger one) does not cross the proxy.
      await proxy.env.FILES.put(o.key, new Uint8Array(bytes));
      const back = await proxy.env.FILES.get(o.key);
      if (sha256(Buffer.from(await back.arrayBuffer())) !== o.sha256) throw new Error(`restore: ${o.key} read back differently`);
      restored.push(o.key);
    }
  } finally {
    await proxy.dispose();
  }
  return { state, objects: restored.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, ...rest] = process.argv.slice(2);
  const flag = (name) => { const i = rest.indexOf(`--${name}`); return i >= 0 ? rest[i + 1] : undefined; };
  try {
    if (command === 'backup') {
      const { out, manifest } = await backup({ env: flag('env') ?? 'local', state: flag('state'), out: flag('out') });
      const missing = manifest.r2.objects.filter((o) => o.missing).length;
      console.log(`backup of ${manifest.env} in ${out}: d1.sql (${manifest.d1.sha256.slice(0, 12)}…), ${manifest.r2.objects.length - missing} objects${missing ? `, ${missing} referenced but missing` : ''}`);
    } else if (command === 'restore') {
      if (!flag('from')) throw new Error('restore: --from DIR (a backup directory)');
      const { state, objects } = await restore({ from: flag('from'), state: flag('state'), replace: rest.includes('--replace') });
      console.log(`restored into ${state}: the database and ${objects} objects, each checked`);
    } else {
      throw new Error('usage: backup.mjs backup --env ENV [--out DIR] | restore --from DIR [--replace]');
    }
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
