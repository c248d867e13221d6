// `npm run bench start`: how long the compiled bot takes from `node dist/main.js` to its first 200 on /healthz,
// and how much memory it holds once idle, against a bare Bolt app started the same way
// (bench/start-bare-bolt.mjs). Both run with Slack over HTTP against a local stand-in for the Web API (it
// answers auth.test), on a fresh SQLite file for dudao, alternating, several runs each. Goals (issue 11):
// start < 1.5 s, idle RSS < 150 MB.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, summarize } from './stats.js';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);
const IDLE_MS = Number(process.env.BENCH_START_IDLE_MS ?? 3_000);
const GOAL_START_MS = 1_500;
const GOAL_RSS_MB = 150;

interface Sample {
  startMs: number;
  rssMb: number;
}

/** The Slack Web API, as far as starting needs it: every method answers ok, auth.test with a bot identity. */
async function webApiStandIn(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'dudao' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, server };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

async function measure(args: string[], env: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // Passed to both sides, to try V8 or allocator settings (docs/benchmarks.md).
      ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
      ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  try {
    // Polled, not waited for a log line: what a load balancer or a supervisor's health check sees.
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode} before /healthz`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const startMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { startMs, rssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export interface StartBench {
  runs: number;
  idleMs: number;
  dudao: Sample[];
  /** The same file started again: a restart on an up-to-date database (no migration). */
  restart: Sample[];
  bolt: Sample[];
  /** With BENCH_START_TSX=1: the sources through tsx, as `npm start` ran them before issue 11. */
  tsx: Sample[];
}

export async function benchStart(): Promise<StartBench> {
  // The build `npm ci` makes, brought up to date as `npm start` would.
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  const api = await webApiStandIn();
  const slack = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench-secret', SLACK_API_URL: api.url };
  const result: StartBench = { runs: RUNS, idleMs: IDLE_MS, dudao: [], restart: [], bolt: [], tsx: [] };
  const withTsx = process.env.BENCH_START_TSX === '1';
  try {
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-start-'));
      try {
        const db = (name: string) => ({ ...slack, DATABASE_URL: `file:${join(dir, `${name}.db`)}` });
        result.dudao.push(await measure(['dist/main.js'], db('dudao')));
        result.restart.push(await measure(['dist/main.js'], db('dudao')));
        if (withTsx) result.tsx.push(await measure(['--import', 'tsx', 'src/main.ts'], db('tsx')));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      result.bolt.push(await measure(['bench/start-bare-bolt.mjs'], slack));
    }
  } finally {
    await new Promise((r) => api.server.close(r));
  }
  return result;
}

export function printStart(r: StartBench): void {
  const row = (name: string, s: Sample[]) => {
    const start = summarize(s.map((x) => x.startMs));
    const rss = summarize(s.map((x) => x.rssMb));
    return `  ${name.padEnd(10)} start p50 ${fmt(start.p50, 0)} ms, max ${fmt(start.max, 0)} ms; idle RSS p50 ${fmt(rss.p50, 0)} MB, max ${fmt(rss.max, 0)} MB`;
  };
  const d = { start: summarize(r.dudao.map((x) => x.startMs)), rss: summarize(r.dudao.map((x) => x.rssMb)) };
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    [
      `\nstart: node <entry> to the first 200 on /healthz, then RSS after ${r.idleMs} ms idle (${r.runs} alternating runs each; Slack over HTTP; dudao on a fresh SQLite file, then restarted on it)`,
      row('dudao', r.dudao),
      row('restart', r.restart),
      row('bare Bolt', r.bolt),
      ...(r.tsx.length ? [row('dudao tsx', r.tsx)] : []),
      `  goals: start < ${GOAL_START_MS} ms (p50 ${fmt(d.start.p50, 0)} ms: ${met(d.start.p50 < GOAL_START_MS)}), idle RSS < ${GOAL_RSS_MB} MB (p50 ${fmt(d.rss.p50, 0)} MB: ${met(d.rss.p50 < GOAL_RSS_MB)})`,
    ].join('\n'),
  );
}

if (process.argv[1] === import.meta.filename) printStart(await benchStart());
