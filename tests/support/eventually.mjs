// The one way tests wait for what happens in the background (the queue, the consumer, the jobs,
// the dev inbox): poll until a condition holds, never sleep for a fixed time. On the deadline it
// says what was awaited and what was last seen, and where the worker's log is kept.

/** How long a wait may take: generous, for a busy 2-core CI machine (`TEST_WAIT_SCALE` multiplies it). */
export const DEFAULT_WAIT_MS = 120_000;
const SCALE = Number(process.env.TEST_WAIT_SCALE) > 0 ? Number(process.env.TEST_WAIT_SCALE) : 1;

/**
 * Resolves with `check(seen)`'s first truthy value. `check` may call `seen(x)` to say what it
 * found on this poll; otherwise its last return value is what is reported. A check that throws
 * (the database busy for a moment) is asked again; its error is what was seen.
 */
export async function eventually(check, { timeout = DEFAULT_WAIT_MS, what = 'condition', every = 200, worker } = {}) {
  const deadline = Date.now() + timeout * SCALE;
  let last = 'nothing yet';
  // What the last check that answered saw: kept when later polls only failed (one cut by the
  // deadline, say), so the message still says what was seen.
  let answered;
  for (let polls = 1; ; polls++) {
    let noted;
    const seen = (value) => { noted = value; };
    try {
      // A check that never answers (a hung database proxy) must not outlast the deadline.
      const value = await beforeDeadline(check(seen), deadline);
      if (value) return value;
      last = noted !== undefined ? noted : value;
      answered = { value: last };
    } catch (err) {
      last = `an error: ${err?.message ?? err}`;
    }
    if (Date.now() > deadline) {
      const where = worker?.logFile ? ` (worker log: ${worker.logFile})` : '';
      const before = answered && answered.value !== last ? `${describe(answered.value)}, then ` : '';
      throw new Error(`timed out after ${Math.round((timeout * SCALE) / 1000)} s (${polls} polls) waiting for ${what}; last seen: ${before}${describe(last)}${where}`);
    }
    await new Promise((r) => setTimeout(r, every));
  }
}

/** `promise`, or a rejection saying it had no answer when `deadline` (ms since the epoch) passes. */
export function beforeDeadline(promise, deadline, what = 'the check') {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} had no answer by the deadline`), { code: 'NO_ANSWER' })),
      Math.max(0, deadline - Date.now()));
  });
  return Promise.race([Promise.resolve(promise), late]).finally(() => clearTimeout(timer));
}

/** `DEFAULT_WAIT_MS`-style durations scaled by `TEST_WAIT_SCALE`. */
export const scaled = (ms) => ms * SCALE;

function describe(value) {
  if (typeof value === 'string') return value;
  try {
    const text = JSON.stringify(value);
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  } catch {
    return String(value);
  }
}
