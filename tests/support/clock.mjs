// Rate limits count per clock hour (UTC, as the worker's `Window::hour`): a test that counts up to
// a limit must not straddle the end of an hour, when every count starts again. The one wait a
// test may do on the clock is for that event: the next hour's start.

const HOUR = 3_600_000;

/** Resolves at once when `seconds` are left in this hour, else when the next hour has begun. */
export async function sameHour(seconds = 240) {
  const left = HOUR - (Date.now() % HOUR);
  if (left > seconds * 1000) return;
  await new Promise((resolve) => setTimeout(resolve, left + 1000));
}
