// A loopback load generator: `concurrency` clients send requests back to back for `seconds`;
// returns throughput and latency percentiles. The same generator drives Miliê and the baseline,
// so its own overhead cancels out in the ratios.
import { performance } from 'node:perf_hooks';

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `makeRequest(i)` returns [url, init]; `ok(status)` says whether a status counts as a success. */
export async function load({ makeRequest, concurrency = 16, seconds = 10, warmup = 1, ok = (s) => s < 400 }) {
  const latencies = [];
  let errors = 0;
  let n = 0;
  const statuses = {};
  const run = async (until, record) => {
    while (performance.now() < until) {
      const i = n++;
      const [url, init] = makeRequest(i);
      const start = performance.now();
      try {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (!ok(res.status)) errors++;
      } catch {
        errors++;
      }
      if (record) latencies.push(performance.now() - start);
    }
  };
  const warm = performance.now() + warmup * 1000;
  await Promise.all(Array.from({ length: concurrency }, () => run(warm, false)));
  errors = 0;
  for (const k of Object.keys(statuses)) delete statuses[k];
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => run(start + seconds * 1000, true)));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length, errors, statuses };
}
