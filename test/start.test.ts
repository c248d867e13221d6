// `npm start` exactly as an operator, systemd, Docker or Kubernetes runs it: the compiled build, started by npm,
// stopped by a signal sent to the npm process. Nothing of the process tree may outlive it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/wait.js';

const ROOT = join(import.meta.dirname, '..');
/** What a supervisor allows before it kills, and what dudao promises to stop within. */
const STOP_PROMISE_MS = 10_000;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function npmStart(dir: string): Started {
  let out = '';
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    // Its own process group, so the test can tell whether any process of the tree is left.
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: `file:${join(dir, 'dudao.db')}`,
      PORT: '0',
      npm_config_update_notifier: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/** True while any process of the group (npm, a shell, node) is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start, stopped by a signal to npm', () => {
  let dir: string;
  let proc: Started | undefined;

  beforeAll(async () => {
    // The build `npm ci` makes; brought up to date here, as `npm start` itself would.
    await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, timeout: 120_000 });
  }, 150_000);

  afterEach(() => {
    if (proc?.child.pid && groupAlive(proc.child.pid)) process.kill(-proc.child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s stops the whole tree, logs one line and exits 0',
    async (signal) => {
      dir = mkdtempSync(join(tmpdir(), 'dudao-npm-start-'));
      proc = npmStart(dir);
      await waitFor(
        () => proc!.output().includes('dudao is running') || proc!.child.exitCode !== null,
        'the running line',
        60_000,
      );
      const port = Number(/"port":(\d+)/.exec(proc.output())?.[1]);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      const sent = Date.now();
      process.kill(proc.child.pid!, signal);
      const code = await proc.exited;
      expect(Date.now() - sent).toBeLessThan(STOP_PROMISE_MS);
      expect(code).toBe(0);
      expect(groupAlive(proc.child.pid!)).toBe(false);
      const stopped = proc
        .output()
        .split('\n')
        .filter((l) => l.includes('"msg":"dudao stopped"'));
      expect(stopped).toHaveLength(1);
      expect(stopped[0]).toContain(`"signal":"${signal}"`);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    },
    90_000,
  );
});
