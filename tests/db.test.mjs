// `make db` semantics: migrations and seed applied twice leave one copy of each body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, sql } from './support/worker.mjs';

const run = promisify(execFile);

test('make db twice succeeds and does not duplicate bodies', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'milie-db-'));
  try {
    const db = () => run('make', ['--no-print-directory', 'db', `STATE_DIR=${dir}`], { cwd: ROOT, maxBuffer: 16 << 20 });
    await db();
    const places = 'SELECT kind, count(*) AS n FROM places GROUP BY kind ORDER BY kind';
    const counted = await sql(dir, places);
    assert.deepEqual(counted, [{ kind: 'commune', n: 120 }, { kind: 'departement', n: 108 }, { kind: 'district', n: 14 }, { kind: 'localite', n: 5015 }, { kind: 'region', n: 31 }, { kind: 'sous_prefecture', n: 508 }]);
    // What an administrator changes afterwards, a second `make db` (or a deploy) never undoes.
    await sql(dir, "UPDATE bodies SET name = 'Ministère renommé par un administrateur' WHERE slug = 'defense'");
    await sql(dir, "UPDATE places SET parent_id = (SELECT id FROM places WHERE slug = 'region-gbeke') WHERE slug = 'commune-bouake'");
    await db();
    const rows = await sql(dir, 'SELECT COUNT(*) AS n, COUNT(DISTINCT slug) AS slugs FROM bodies');
    assert.deepEqual(rows, [{ n: 47, slugs: 47 }]);
    assert.deepEqual(await sql(dir, places), counted);
    assert.deepEqual(await sql(dir, "SELECT name FROM bodies WHERE slug = 'defense'"), [{ name: 'Ministère renommé par un administrateur' }]);
    assert.deepEqual(await sql(dir, "SELECT p.slug FROM places c JOIN places p ON p.id = c.parent_id WHERE c.slug = 'commune-bouake'"), [{ slug: 'region-gbeke' }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
