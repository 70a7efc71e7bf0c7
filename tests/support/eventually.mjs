// Waits for what happens in the background (the queue, the consumer, the dev inbox).

/** Resolves with `check()`'s first truthy value; throws after `timeout` ms naming `what`. */
export async function eventually(check, { timeout = 60_000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
