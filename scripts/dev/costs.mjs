#!/usr/bin/env node
// The largest invocation of each kind the test suite performed (what tests/support/worker.mjs
// recorded from the workers' `invocation` log lines), against Cloudflare's per-invocation limits.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'target/test-costs';
const largest = new Map();
let count = 0;
for (const name of await readdir(dir).catch(() => [])) {
  for (const i of JSON.parse(await readFile(join(dir, name), 'utf8'))) {
    count += 1;
    for (const field of ['d1_statements', 'subrequests']) {
      const key = `${i.kind}\t${field}`;
      if (!largest.has(key) || largest.get(key).value < i[field]) largest.set(key, { value: i[field], label: i.label });
    }
  }
}
console.log(`invocations measured: ${count}; the largest of each kind:`);
for (const [key, { value, label }] of [...largest].sort()) {
  const [kind, field] = key.split('\t');
  console.log(`  ${kind.padEnd(8)} ${field.padEnd(14)} ${String(value).padStart(5)}  (${label})`);
}
