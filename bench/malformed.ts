// Malformed and hostile requests: the real process (`node --import tsx src/main.ts`, Slack over HTTP and the
// Feishu webhook, against a Web API stand-in on loopback) is sent every correctly signed shape in
// test/support/malformed-requests.ts N times, one after another, and this prints per shape the statuses it
// answered, p50/p99/max answer time, and the warn lines it logged per request. Then a slash command of one
// 4 MB word and a Feishu message of one 900 kB word, each while /healthz is asked again and again: how long
// the command took to answer, how long /healthz waited at most meanwhile, and when the reply was posted.
// The process must still be running at the end (a shape that ends it is reported as `exit`, and the bot
// is started again). BENCH_ROOT=<checkout> runs another checkout's src/main.ts (figures from before a
// change); BENCH_MALFORMED_N sets N (default 50); BENCH_MALFORMED_LOG=<file> keeps the bot's log.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encrypt,
  messageEvent,
  signer,
  TEST_APP_ID,
  TEST_ENCRYPT_KEY,
  TEST_VERIFICATION_TOKEN,
} from '../test/support/feishu-requests.js';
import { MALFORMED_FEISHU, MALFORMED_SLACK } from '../test/support/malformed-requests.js';
import { type SlackRequest, signedHeaders, slashCommand } from '../test/support/slack-requests.js';
import { fmt, summarize } from './stats.js';

const SECRET = 'bench-signing-secret';
const N = Number(process.env.BENCH_MALFORMED_N ?? 50);
const ROOT = process.env.BENCH_ROOT ?? join(import.meta.dirname, '..');
const REQUEST_TIMEOUT_MS = 10_000;
const clock = { now: () => new Date() };
const signFeishu = signer(TEST_ENCRYPT_KEY, clock);

/** Slack's and Feishu's Web APIs in one: every call succeeds; posts to /response/<id> are the replies. */
async function stubApis(): Promise<{ url: string; replies: Map<string, number>; close(): Promise<void> }> {
  const replies = new Map<string, number>();
  const body = JSON.stringify({
    ok: true,
    user_id: 'UBOT',
    bot_id: 'BBOT',
    team_id: 'T1',
    user: { id: 'U', name: 'u', tz: 'Asia/Shanghai', locale: 'en-US', profile: {} },
    channel: { id: 'D1' },
    ts: '1.1',
    code: 0,
    msg: 'ok',
    tenant_access_token: 't-benchbenchbenchbenchbench',
    expire: 7200,
    data: { message_id: 'om_bench', user: { name: 'u' } },
  });
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const reply = /^\/response\/(.+)$/.exec(req.url ?? '');
      if (reply) replies.set(reply[1]!, performance.now());
      if (/\/im\/v1\/messages/.test(req.url ?? '')) replies.set('feishu', performance.now());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    replies,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

class Bot {
  private child?: ChildProcess;
  private out = '';
  port = 0;
  exits = 0;
  private earlierWarnings = 0;

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    // Warn lines of a process that ended still count.
    this.earlierWarnings += this.warningsNow();
    this.out = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (c) => (this.out += String(c)));
    child.stderr!.on('data', (c) => (this.out += String(c)));
    child.on('exit', () => (this.exits += this.child === child ? 1 : 0));
    const until = Date.now() + 60_000;
    while (!/"port":(\d+).*dudao is running/.test(this.out)) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`dudao did not start:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    this.port = Number(/"port":(\d+)[^\n]*dudao is running/.exec(this.out)![1]);
  }

  get alive(): boolean {
    return this.child?.exitCode === null && this.child.signalCode === null;
  }

  /** Warn lines (level 40) logged so far, by this process and the ones before it. */
  warnings(): number {
    return this.earlierWarnings + this.warningsNow();
  }

  private warningsNow(): number {
    return this.out.split('\n').filter((l) => l.includes('"level":40')).length;
  }

  /** Everything the process printed since it was last started. */
  output(): string {
    return this.out;
  }

  async stop(): Promise<number | null> {
    const child = this.child!;
    if (!this.alive) return child.exitCode;
    this.child = undefined;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    return exited;
  }
}

/**
 * GET /healthz on a connection of its own, as a supervisor's probe asks it: never queued behind (or reset
 * with) a connection that carried one of the requests being measured.
 */
function healthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** `error`: the connection failed (reset, refused) without an answer. */
type Answer = { status: number | 'error' | 'timeout'; ms: number };

async function send(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  } catch (e) {
    return { status: (e as Error).name === 'TimeoutError' ? 'timeout' : 'error', ms: performance.now() - started };
  }
}

const slackPost = (bot: Bot, req: SlackRequest) =>
  send(`http://127.0.0.1:${bot.port}/slack/events`, req.body, signedHeaders(SECRET, req));
function feishuPost(bot: Bot, payload: unknown) {
  const raw = JSON.stringify({ encrypt: encrypt(TEST_ENCRYPT_KEY, JSON.stringify(payload)) });
  return send(`http://127.0.0.1:${bot.port}/feishu/events`, raw, {
    'content-type': 'application/json',
    ...signFeishu(raw),
  });
}

export interface ShapeResult {
  platform: string;
  name: string;
  expected: number;
  statuses: string;
  p50: number;
  p99: number;
  max: number;
  warnPerRequest: number;
}

async function shape(
  bot: Bot,
  platform: string,
  name: string,
  expected: number,
  once: () => Promise<Answer>,
): Promise<ShapeResult> {
  const ms: number[] = [];
  const statuses = new Set<string>();
  const warned = bot.warnings();
  for (let i = 0; i < N; i++) {
    const a = await once();
    ms.push(a.ms);
    statuses.add(String(a.status));
    if (!bot.alive) {
      statuses.add('exit');
      await bot.start();
    }
  }
  // Log lines come through a pipe; give the last ones time to arrive.
  await new Promise((r) => setTimeout(r, 100));
  const s = summarize(ms);
  return {
    platform,
    name,
    expected,
    statuses: [...statuses].join(', '),
    p50: s.p50,
    p99: s.p99,
    max: s.max,
    warnPerRequest: (bot.warnings() - warned) / N,
  };
}

export interface HostileResult {
  name: string;
  statuses: Set<string>;
  answerMs: number[];
  replyMs: number[];
  healthMaxMs: number[];
  healthAsked: number;
  /** /healthz answers that were not 200 (or no answer at all). */
  healthFailed: number;
}

/** Sends `once` while asking /healthz in a loop, from just before it until its reply was posted (+200 ms). */
async function hostile(
  bot: Bot,
  api: Awaited<ReturnType<typeof stubApis>>,
  name: string,
  replyKey: ((i: number) => string) | null,
  once: (i: number) => Promise<Answer>,
): Promise<HostileResult> {
  const r: HostileResult = {
    name,
    statuses: new Set(),
    answerMs: [],
    replyMs: [],
    healthMaxMs: [],
    healthAsked: 0,
    healthFailed: 0,
  };
  for (let i = 0; i < 5; i++) {
    if (replyKey) api.replies.delete(replyKey(i));
    let polling = true;
    let worst = 0;
    const poll = (async () => {
      while (polling) {
        const started = performance.now();
        const ok = await healthz(bot.port);
        worst = Math.max(worst, performance.now() - started);
        r.healthAsked++;
        if (!ok) r.healthFailed++;
      }
    })();
    await new Promise((res) => setTimeout(res, 20));
    const started = performance.now();
    const a = await once(i);
    r.answerMs.push(a.ms);
    r.statuses.add(String(a.status));
    if (replyKey) {
      const until = performance.now() + 10_000;
      while (!api.replies.has(replyKey(i)) && performance.now() < until) await new Promise((res) => setTimeout(res, 5));
      r.replyMs.push((api.replies.get(replyKey(i)) ?? NaN) - started);
    }
    await new Promise((res) => setTimeout(res, 200));
    polling = false;
    await poll;
    r.healthMaxMs.push(worst);
  }
  return r;
}

export async function benchMalformed() {
  const api = await stubApis();
  const dir = mkdtempSync(join(tmpdir(), 'dudao-malformed-'));
  const bot = new Bot({
    DATABASE_URL: `file:${join(dir, 'dudao.db')}`,
    PORT: '0',
    LOG_LEVEL: 'info',
    DUDAO_DEFAULT_LOCALE: 'en',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${api.url}/api/`,
    FEISHU_APP_ID: TEST_APP_ID,
    FEISHU_APP_SECRET: 'bench-secret',
    FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
    FEISHU_DOMAIN: api.url,
  });
  try {
    await bot.start();
    const shapes: ShapeResult[] = [];
    for (const c of MALFORMED_SLACK)
      shapes.push(await shape(bot, 'Slack', c.name, c.status, () => slackPost(bot, c.req)));
    for (const c of MALFORMED_FEISHU)
      shapes.push(await shape(bot, 'Feishu', c.name, c.status, () => feishuPost(bot, c.payload)));
    const slackCommand = (words: number, key: string) => {
      const text = 'a'.repeat(words);
      return (i: number) =>
        slackPost(bot, slashCommand({ text, userId: 'UBENCH', responseUrl: `${api.url}/response/${key}${i}` }));
    };
    // Over the 1 MB body limit: refused before it is read. Under it: read, and answered with a sentence.
    const slack4mb = await hostile(bot, api, 'Slack `/dudao <one 4 MB word>`', null, slackCommand(4_000_000, 'huge'));
    const slack900kb = await hostile(
      bot,
      api,
      'Slack `/dudao <one 900 kB word>`',
      (i) => `big${i}`,
      slackCommand(900_000, 'big'),
    );
    // Encrypted (base64), 600 kB of text is what still fits in the webhook's 1 MB body.
    const feishuWord = 'a'.repeat(600_000);
    const feishu600kb = await hostile(
      bot,
      api,
      'Feishu message `<one 600 kB word>`',
      () => 'feishu',
      () => feishuPost(bot, messageEvent({ openId: 'ou_bench', text: feishuWord })),
    );
    const alive = bot.alive;
    const exitCode = await bot.stop();
    if (process.env.BENCH_MALFORMED_LOG) writeFileSync(process.env.BENCH_MALFORMED_LOG, bot.output());
    return {
      n: N,
      root: ROOT,
      shapes,
      hostile: [slack4mb, slack900kb, feishu600kb],
      restarts: bot.exits,
      aliveAtEnd: alive,
      exitCode,
    };
  } finally {
    if (bot.alive) await bot.stop();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printMalformed(r: Awaited<ReturnType<typeof benchMalformed>>) {
  console.log(
    `\n## malformed and hostile requests (real process, ${r.n} signed requests per shape, one at a time; ${r.root})`,
  );
  console.log('| platform | shape | expected | answered | p50 ms | p99 ms | max ms | warn lines / request |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const s of r.shapes)
    console.log(
      `| ${s.platform} | ${s.name} | ${s.expected} | ${s.statuses} | ${fmt(s.p50, 1)} | ${fmt(s.p99, 1)} | ${fmt(s.max, 1)} | ${fmt(s.warnPerRequest, 2)} |`,
    );
  console.log(
    '\n| hostile input (5 times) | answered | answer p50 / max ms | reply posted after, max ms | /healthz longest wait meanwhile, ms | /healthz asked (not 200) |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const h of r.hostile) {
    const a = summarize(h.answerMs);
    const reply = h.replyMs.length ? fmt(Math.max(...h.replyMs), 1) : '(not waited for)';
    console.log(
      `| ${h.name} | ${[...h.statuses].join(', ')} | ${fmt(a.p50, 1)} / ${fmt(a.max, 1)} | ${reply} | ${fmt(Math.max(...h.healthMaxMs), 1)} | ${h.healthAsked} (${h.healthFailed}) |`,
    );
  }
  console.log(
    `\nprocess: ${r.restarts} exit(s) during the run; running at the end: ${r.aliveAtEnd ? 'yes' : 'no'}; exit code on SIGTERM: ${r.exitCode}`,
  );
}
