// The back office's local configuration for `wrangler dev -c wrangler.toml -c <dir>/wrangler.toml`.
// In a multi-worker `wrangler dev`, `--var` reaches only the first (citizens') worker, and a
// worker's `.dev.vars` is read beside its configuration; so the back office gets a copy of
// wrangler.office.toml in its own directory (paths made absolute) with a `.dev.vars` holding the
// same overrides and secrets as the citizens' worker.
//
//   node scripts/dev/office.mjs <dir> [NAME=value ...]   (adds the repository's .dev.vars)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes `<dir>/wrangler.toml` and `<dir>/.dev.vars`; returns the configuration's path. */
export async function writeOfficeConfig(dir, vars = {}) {
  await mkdir(dir, { recursive: true });
  const toml = (await readFile(join(ROOT, 'wrangler.office.toml'), 'utf8'))
    .replace(/^main = "(.+)"$/m, (_, p) => `main = ${JSON.stringify(resolve(ROOT, p))}`)
    .replace(/^migrations_dir = "(.+)"$/gm, (_, p) => `migrations_dir = ${JSON.stringify(resolve(ROOT, p))}`);
  const path = join(dir, 'wrangler.toml');
  await writeFile(path, toml);
  const lines = Object.entries(vars).map(([k, v]) => {
    if (!/^[A-Z0-9_]+$/.test(k) || /[\r\n]/.test(String(v))) throw new Error(`bad variable ${k}`);
    return `${k}=${JSON.stringify(String(v))}`;
  });
  await writeFile(join(dir, '.dev.vars'), lines.join('\n') + '\n');
  return path;
}

/** NAME=value lines of a .dev.vars file (comments and blank lines skipped). */
export function parseDevVars(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/);
    if (m) out[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, ...pairs] = process.argv.slice(2);
  if (!dir) { console.error('usage: node scripts/dev/office.mjs <dir> [NAME=value ...]'); process.exit(2); }
  const local = parseDevVars(await readFile(join(ROOT, '.dev.vars'), 'utf8').catch(() => ''));
  const given = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  console.log(await writeOfficeConfig(dir, { ...local, ...given }));
}
