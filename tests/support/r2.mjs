// The keys of the local R2 bucket, read through the worker under test (its test hook: the same
// bucket it writes, with no second runtime on its files), so tests can prove no object was left
// behind.
import { bucket } from './worker.mjs';

export async function r2Keys(stateDir) {
  return bucket(stateDir).keys();
}
