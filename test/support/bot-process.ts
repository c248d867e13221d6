// The real bot as a separate process (node --import tsx src/main.ts, no wrapper process in between, so a
// SIGKILL kills the bot itself), for tests and benchmarks that crash it.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface BotProcess {
  child: ChildProcess;
  /** Everything it printed so far (JSON log lines). */
  output(): string;
  exited: Promise<number | null>;
  /** Resolves once it logged that it is running; rejects if it exits first or takes longer than `ms`. */
  running(ms?: number): Promise<void>;
  /** kill -9, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM if still running, then waits for the exit. */
  stop(): Promise<void>;
}

export function spawnBot(env: Record<string, string>): BotProcess {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => out,
    exited,
    async running(ms = 30_000) {
      const until = Date.now() + ms;
      while (!out.includes('dudao is running')) {
        if (!alive()) throw new Error(`the bot exited before running:\n${out}`);
        if (Date.now() > until) throw new Error(`the bot did not start within ${ms} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) child.kill('SIGTERM');
      await exited;
    },
  };
}
