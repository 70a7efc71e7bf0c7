// Reads the keys of the local R2 bucket straight from miniflare's storage (a SQLite file per
// bucket under the state directory), so tests can prove no object was left behind.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';

const run = promisify(execFile);
const SCRIPT = `
import glob, json, sqlite3, sys
keys = []
for path in glob.glob(sys.argv[1] + '/v3/r2/miniflare-R2BucketObject/*.sqlite'):
    if path.endswith('metadata.sqlite'):
        continue
    db = sqlite3.connect('file:' + path + '?mode=ro', uri=True)
    keys += [row[0] for row in db.execute('SELECT key FROM _mf_objects')]
print(json.dumps(sorted(keys)))
`;

export async function r2Keys(stateDir) {
  const { stdout } = await run('python3', ['-c', SCRIPT, stateDir]);
  return JSON.parse(stdout);
}

export const R2_DIR = (stateDir) => join(stateDir, 'v3', 'r2');
