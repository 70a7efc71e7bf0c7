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
    for (let i = 0; i < 2; i++) {
      await run('make', ['--no-print-directory', 'db', `STATE_DIR=${dir}`], { cwd: ROOT, maxBuffer: 16 << 20 });
    }
    const rows = await sql(dir, 'SELECT COUNT(*) AS n, COUNT(DISTINCT slug) AS slugs FROM bodies');
    assert.deepEqual(rows, [{ n: 10, slugs: 10 }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
