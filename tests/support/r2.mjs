// The keys of the local R2 bucket, read through the platform proxy (the same persisted state the
// worker under test uses), so tests can prove no object was left behind.
import { platform } from './worker.mjs';

export async function r2Keys(stateDir) {
  const env = await platform(stateDir);
  const keys = [];
  let cursor;
  do {
    const page = await env.FILES.list({ cursor, limit: 1000 });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}
