// The dudao CLI run in-process on a SQLite database in a fresh temporary folder, its output captured; and the
// real CLI as a separate process (`spawnCli`), for what only a process shows: how long it lives, its exit
// code, what reaches its standard error.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.js';

/** A temporary folder with the environment pointing the CLI at `cli.db` in it (plus `extraEnv`, which may set another DATABASE_URL); `run` calls the CLI and gives its exit code and what it wrote; `file` writes a file there and gives its path. */
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

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SpawnedCli {
  code: number | null;
  out: string;
  err: string;
  /** From the spawn to the process's exit. */
  ms: number;
  /** From the last output the process wrote to its exit: how long it lingered after its work. */
  lingerMs: number;
}

/** Runs `src/cli/main.ts` in a child process with `env` (and nothing else of the test's environment but PATH). */
export function spawnCli(args: string[], env: Record<string, string>): Promise<SpawnedCli> {
  const started = Date.now();
  let lastOutput = started;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    lastOutput = Date.now();
  });
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString();
    lastOutput = Date.now();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const now = Date.now();
      resolve({ code, out, err, ms: now - started, lingerMs: now - lastOutput });
    });
  });
}
