// The restore drill (issue 32): requests submitted and answered, a backup taken, the database
// wiped, a restore from the backup — and the requests, their history and their files are all there.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorker, sql, prepareState } from './support/worker.mjs';
import { PDF, JPEG } from './support/forms.mjs';
import { act } from './support/agent.mjs';
import { lookup } from './support/tracking.mjs';
import { backup, restore } from '../scripts/ops/backup.mjs';

const cleanup = [];
after(async () => { for (const dir of cleanup) await rm(dir, { recursive: true, force: true }); });

test('backup, wipe, restore: every request, its history and its files come back, checked', async () => {
  const w = await startWorker({ keepState: true, vars: { SUBMIT_LIMIT_PER_HOUR: '100000' } });
  cleanup.push(w.dir);
  const first = await w.newRequest({ email: 'sauvegarde@example.ci' }, [['constat.pdf', PDF], ['photo.jpg', JPEG]]);
  const second = await w.newRequest({ email: 'sauvegarde@example.ci' });
  const analyst = await w.signIn('analyst');
  const focal = await w.signIn('focal');
  assert.equal((await act(w, analyst, first.code, 'valider')).status, 303);
  assert.equal((await act(w, focal, first.code, 'traiter', { message: 'Votre dossier est prêt au guichet 2.' })).status, 303);
  await w.settled();
  const snapshot = async (dir) => ({
    requests: await sql(dir, 'SELECT code, stage, message, email FROM requests ORDER BY code'),
    events: await sql(dir, 'SELECT r.code, e.event, e.note FROM request_events e JOIN requests r ON r.id = e.request_id ORDER BY r.code, e.id'),
    files: await sql(dir, 'SELECT r.code, a.file_name, a.size, a.r2_key FROM attachments a JOIN requests r ON r.id = a.request_id ORDER BY a.id'),
  });
  const before = await snapshot(w.dir);
  assert.equal(before.files.length, 2);
  await w.stop();

  const out = await mkdtemp(join(tmpdir(), 'milie-backup-'));
  cleanup.push(out);
  const { manifest } = await backup({ env: 'local', state: w.dir, out });
  assert.ok(manifest.r2.objects.filter((o) => !o.missing).length >= 2, JSON.stringify(manifest.r2.objects));
  for (const f of before.files) assert.ok(manifest.r2.objects.some((o) => o.key === f.r2_key && /^[0-9a-f]{64}$/.test(o.sha256)), f.r2_key);

  // A restore never overwrites a database by accident.
  const busy = await prepareState();
  cleanup.push(busy);
  await assert.rejects(restore({ from: out, state: busy }), /holds a database already.*--replace/);
  // The database lost: a new, empty state directory, rebuilt from the backup.
  const wiped = await mkdtemp(join(tmpdir(), 'milie-restored-'));
  cleanup.push(wiped);
  const restored = await restore({ from: out, state: wiped });
  assert.equal(restored.objects, manifest.r2.objects.filter((o) => !o.missing).length);
  assert.deepEqual(await snapshot(wiped), before, 'every request, event and file row');

  // The portal runs on it: the citizen opens the request and downloads each file, byte for byte.
  const back = await startWorker({ stateDir: wiped, vars: { SUBMIT_LIMIT_PER_HOUR: '100000' } });
  try {
    const { status, cookie, res } = await lookup(back.url, first.code, 'sauvegarde@example.ci');
    assert.equal(status, 303, `the request opens (${res.headers.get('location')})`);
    const page = await (await fetch(`${back.url}/suivi/${first.code}`, { headers: { cookie } })).text();
    assert.match(page, /Votre dossier est prêt au guichet 2\./);
    const links = [...page.matchAll(/href="(\/suivi\/\d{8}\/pieces\/\d+)"/g)].map((m) => m[1]);
    assert.equal(links.length, 2);
    const digests = [];
    for (const link of links) digests.push(createHash('sha256').update(Buffer.from(await (await fetch(back.url + link, { headers: { cookie } })).arrayBuffer())).digest('hex'));
    assert.deepEqual(digests.sort(), [PDF, JPEG].map((b) => createHash('sha256').update(b).digest('hex')).sort());
    // And it goes on: the second request is answered after the restore.
    const analystAgain = await back.signIn('analyst');
    assert.equal((await act(back, analystAgain, second.code, 'valider')).status, 303);
  } finally {
    await back.stop();
  }
  // With --replace, a database that is not empty is replaced.
  const replaced = await restore({ from: out, state: busy, replace: true });
  assert.equal(replaced.objects, restored.objects);
  assert.deepEqual((await snapshot(busy)).requests, before.requests);
});
