// The OpenAPI description, contract-tested against the real worker by a property-based tester
// (schemathesis, installed by `make install-contract`): every operation, every check, no failure.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, startWorker } from './support/worker.mjs';

const TESTER = join(ROOT, '.venv-contract', 'bin', 'schemathesis');
let w;
after(async () => { await w?.stop(); });

test('schemathesis: every /api/v1 operation and the open data, all checks, zero failures', async () => {
  await access(TESTER).catch(() => assert.fail('schemathesis is missing: run `make install-contract`'));
  w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', TRACK_FAILURES_PER_HOUR: '100000' } });
  // schemathesis.toml (at the root) sets the examples per operation and the refusals it accepts.
  const args = ['run', `${w.url}/api/v1/openapi.yaml`, '--url', w.url, '--checks', 'all', '--workers', '1', '--no-color'];
  const child = spawn(TESTER, args, { cwd: ROOT, env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, output);
  assert.match(output, /Selected: 7\/7/, 'every operation of the description');
  assert.match(output, /(\d+) generated, \1 passed/);
});
