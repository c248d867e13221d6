// The dudao CLI run in-process on a SQLite database in a fresh temporary folder, its output captured.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';

/** A temporary folder with the environment pointing the CLI at `cli.db` in it (plus `extraEnv`); `run` calls the CLI and gives its exit code and what it wrote; `file` writes a file there and gives its path. */
export function cliHarness(extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dudao-cli-'));
  const env = { DATABASE_URL: `file:${join(dir, 'cli.db')}`, ...extraEnv };
  const run = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(args, { out: (s) => void (out += s), err: (s) => void (err += s) }, env);
    return { code, out, err };
  };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  return { dir, env, run, file };
}
