// Ingress: signed `/dudao status` commands and checklist submissions through dudao's Slack adapter (the
// real bot, started with startDudao against a Web API stand-in on loopback), against a bare Bolt app that
// only acks the same requests, side by side in one run at 50 concurrent requests. For each side it reports
// the ack side (time to the HTTP response; acks per second until the last response) and, for dudao, the
// completed work: requests per second until dudao has also finished what it does after the ack (the
// command's reply on response_url, the outbox). It also reports this process's CPU time per request (load
// generator, servers and Web API stand-in are all in this process, so the difference between the sides is
// what dudao adds), which varies far less than rates on a busy machine. Goals (issue 10): `/dudao status` at
// >= 0.5 of bare Bolt's acks per second (dudao's own work per command costs no more than the framework's)
// with ack p99 < 100 ms; page and final checklist submits at ack p99 < 200 ms (their ratio to bare Bolt
// measures work every bot must do before that ack, and is printed but is no goal). The load
// generator is node:http with one keep-alive connection per worker: with fetch, its own tail (undici in
// this same process) gave bare Bolt a p99 of 110-230 ms. The Web API stand-in runs on a worker thread (Slack
// is elsewhere); its CPU still counts in the cpu figure, which is the whole process's. BENCH_SQLITE_SYNC=normal runs dudao on
// DATABASE_URL `…?synchronous=normal` (see docs/operations.md, "SQLite").
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel } from '@slack/bolt';
import { loadConfig } from '../src/config/env.js';
import { DEFAULT_FORM_LIMITS } from '../src/core/create-core.js';
import { fieldId, paginate } from '../src/core/inspections/form.js';
import { DEFAULT_TEMPLATE } from '../src/core/templates/default-template.js';
import type { MessageView } from '../src/core/views/types.js';
import { createLogger } from '../src/logging.js';
import { startDudao } from '../src/main.js';
import { renderMessage } from '../src/platforms/slack/render.js';
import { startFloor } from './ingress-floor.js';
import { fmt, summarize } from './stats.js';

const SECRET = 'bench-signing-secret';
const CONCURRENCY = 50;

function sign(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000).toString();
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-signature': sig,
    'x-slack-request-timestamp': ts,
  };
}

/**
 * A Slack Web API stand-in that answers every method at once, counting calls by path. It runs on a worker
 * thread, as Slack runs elsewhere: what it costs to receive dudao's replies is not dudao's cost.
 */
const STUB_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createServer } = require('node:http');
const calls = {};
const body = JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', channel: { id: 'D1' }, ts: '1.1', view: { id: 'V1' }, user: { id: 'U', name: 'u', tz: 'Asia/Shanghai', locale: 'en-US', profile: {} } });
const server = createServer((req, res) => {
  const path = (req.url || '').replace(/^\\/(api\\/)?/, '');
  calls[path] = (calls[path] || 0) + 1;
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'calls') parentPort.postMessage({ calls });
  if (m === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
`;

async function stubSlackApi(): Promise<{ url: string; calls(): Promise<Map<string, number>>; close(): Promise<void> }> {
  const worker = new Worker(STUB_SOURCE, { eval: true });
  const next = <T>(key: string) =>
    new Promise<T>((resolve) => {
      const on = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        worker.off('message', on);
        resolve(m[key] as T);
      };
      worker.on('message', on);
    });
  const port = await next<number>('port');
  return {
    url: `http://127.0.0.1:${port}`,
    async calls() {
      const got = next<Record<string, number>>('calls');
      worker.postMessage('calls');
      return new Map(Object.entries(await got));
    },
    async close() {
      const closed = next('closed');
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

const quiet: BoltLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** Answer times; wall time until the last answer (acks) and until the work after it was done (wallMs). */
type Load = { ms: number[]; ackWallMs: number; wallMs: number; cpuMs: number; errors: number };

/**
 * One keep-alive connection per worker, kept across rounds, so that no round starts by connecting anew. An
 * idle one is closed after 4 s, before the servers' 5 s keep-alive timeout: a side that waits longer than that
 * for another side's work after its acks would otherwise meet connections the server has just closed.
 */
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, keepAliveMsecs: 60_000, timeout: 4_000 });

/**
 * One signed request: its status, and with `read` its body. The load goes over the kept-alive connections; a
 * one-off request (`read`) takes a connection of its own, as a kept-alive one could be closed by the server
 * just as it is reused.
 */
function post(url: URL, body: string, read = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: read ? false : agent,
        headers: { ...sign(body), 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        if (read) res.setEncoding('utf8').on('data', (c: string) => (text += c));
        else res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `settle` runs after the last answer and before the clock stops: work the server still does after its acks. */
async function load(
  url: string,
  bodies: () => string,
  total: number,
  settle: () => Promise<void> = async () => undefined,
): Promise<Load> {
  const ms: number[] = [];
  const target = new URL(url);
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        next++;
        const body = bodies();
        const s = performance.now();
        const { status } = await post(target, body);
        ms.push(performance.now() - s);
        if (status !== 200) errors++;
      }
    }),
  );
  const ackWallMs = performance.now() - t0;
  await settle();
  const cpu = process.cpuUsage(cpu0);
  return { ms, ackWallMs, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, errors };
}

let seq = 0;
const command = (responseUrl: string) => () =>
  new URLSearchParams({
    token: 'x',
    team_id: 'T1',
    channel_id: 'C1',
    user_id: 'USUP',
    command: '/dudao',
    text: 'status',
    response_url: responseUrl,
    trigger_id: `trig-${process.pid}-${seq++}`,
  }).toString();

/** A page of a checklist, each call for the next draft in `draftIds` (shared, so that no draft is sent twice). */
function submission(
  draftIds: string[],
  next: { i: number },
  values: Record<string, { type: string; selected_option?: { value: string } }>,
  page = 0,
) {
  return () => {
    const id = draftIds[next.i++ % draftIds.length]!;
    const stateValues: Record<string, Record<string, unknown>> = {};
    for (const [k, v] of Object.entries(values)) stateValues[k] = { [k]: v };
    const payload = {
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: 'USUP' },
      trigger_id: `trig-${seq++}`,
      view: {
        id: 'V1',
        callback_id: 'dudao_form',
        private_metadata: JSON.stringify({ t: 'inspection', id, p: page }),
        state: { values: stateValues },
      },
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  };
}

/** Rounds per side, alternating, so that machine noise hits both sides alike. */
const ROUNDS = 4;

export async function benchIngress(total = 4000) {
  const WARMUP = 100;
  const api = await stubSlackApi();
  const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-ingress-'));
  const cleanups: Array<() => Promise<unknown> | void> = [
    () => api.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  ];
  try {
    const config = loadConfig({
      DATABASE_URL: `file:${join(dir, 'bench.db')}${process.env.BENCH_SQLITE_SYNC ? `?synchronous=${process.env.BENCH_SQLITE_SYNC}` : ''}`,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${api.url}/api/`,
      LOG_LEVEL: 'silent',
      DUDAO_REMINDER_CRON: 'off',
    });
    const dudao = await startDudao(config, { port: 0, logger: createLogger('silent') });
    cleanups.unshift(() => dudao.stop());
    await dudao.db.prisma.member.createMany({
      data: [{ displayName: 'Sam', slackUserId: 'USUP', role: 'supervisor', locale: 'en', timeZone: 'UTC' }],
    });
    const sup = await dudao.db.prisma.member.findUniqueOrThrow({ where: { slackUserId: 'USUP' } });
    const dept = await dudao.db.prisma.department.create({ data: { name: 'Bench Store' } });
    // A store's staff: every checklist page offers them as the responsible person for a failed item.
    await dudao.db.prisma.member.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        displayName: `Staff ${i + 1}`,
        slackUserId: `USTAFF${i}`,
        role: 'member',
        departmentId: dept.id,
        locale: 'en',
        timeZone: 'UTC',
      })),
    });
    const tv = await dudao.db.prisma.templateVersion.findFirstOrThrow();
    // One fresh draft for every submission dudao gets (warm-up included): a page is saved once, a second
    // submission of the same page would only be refused as stale.
    const drafts = Array.from({ length: total + WARMUP }, (_, i) => `bench-draft-${i}`);
    const draftRows = (ids: string[], more: { page?: number; answers?: string } = {}) =>
      ids.map((id) => ({
        id,
        templateVersionId: tv.id,
        departmentId: dept.id,
        supervisorId: sup.id,
        platform: 'slack',
        channelId: 'C1',
        ...more,
      }));
    await dudao.db.prisma.inspectionDraft.createMany({ data: draftRows(drafts) });
    const pages = paginate(DEFAULT_TEMPLATE, DEFAULT_FORM_LIMITS.slack);
    const pass = (ref: (typeof pages)[number][number]) => (ref.item.scoring === 'pass_fail' ? 'pass' : '5');
    const selects = (refs: (typeof pages)[number]) =>
      Object.fromEntries(
        refs.map((ref) => [fieldId(ref, 'score'), { type: 'static_select', selected_option: { value: pass(ref) } }]),
      );
    const values = selects(pages[0]!);
    // Final submissions: drafts on the last page with the earlier pages answered; submitting saves the whole
    // inspection in one transaction, acks with a notice, and queues the summary for the channel.
    const last = pages.length - 1;
    const earlier = Object.fromEntries(
      pages
        .slice(0, last)
        .flat()
        .map((ref) => [fieldId(ref, 'score'), pass(ref)]),
    );
    const finals = Array.from({ length: total + WARMUP }, (_, i) => `bench-final-${i}`);
    await dudao.db.prisma.inspectionDraft.createMany({
      data: draftRows(finals, { page: last, answers: JSON.stringify(earlier) }),
    });
    const lastValues = selects(pages[last]!);

    // dudao keeps working after its acks (the command's reply, the outbox): its clock runs until that is done.
    const settle = async () => {
      await dudao.slack!.idle();
      await dudao.dispatcher.nudge();
    };
    // The floor (bench/ingress-floor.ts) answers with dudao's own bytes: a page and a final submit, sent once.
    const probe = async (id: string, page: number, answers: Record<string, string>, v: typeof values) => {
      await dudao.db.prisma.inspectionDraft.create({
        data: {
          id,
          templateVersionId: tv.id,
          departmentId: dept.id,
          supervisorId: sup.id,
          platform: 'slack',
          channelId: 'C1',
          page,
          answers: JSON.stringify(answers),
        },
      });
      const { status, text } = await post(
        new URL(`http://127.0.0.1:${dudao.port}/slack/events`),
        submission([id], { i: 0 }, v, page)(),
        true,
      );
      if (status !== 200) throw new Error(`the probe got HTTP ${status}: ${text}`);
      return JSON.parse(text) as object;
    };
    const pageAck = await probe('probe-page', 0, {}, values);
    const finalAck = await probe('probe-final', last, earlier, lastValues);
    await settle();
    const probed = await dudao.db.prisma.inspection.findUniqueOrThrow({ where: { draftId: 'probe-final' } });
    const queued = await dudao.db.prisma.outboxMessage.findUniqueOrThrow({
      where: { dedupeKey: `inspection:${probed.id}:summary` },
    });
    const floorPath = join(dir, 'floor.db');
    await dudao.db.prisma.$executeRawUnsafe(`VACUUM INTO '${floorPath}'`);
    const floor = await startFloor({
      dbPath: floorPath,
      signingSecret: SECRET,
      apiUrl: `${api.url}/api/`,
      logger: quiet,
      lastPage: last,
      pageAck,
      finalAck,
      summary: renderMessage(JSON.parse(queued.payload) as MessageView),
    });
    cleanups.unshift(() => floor.close());
    const ids = { templateVersionId: tv.id, departmentId: dept.id, supervisorId: sup.id };
    const floorDrafts = floor.drafts('floor-draft', total + WARMUP, 0, {}, ids);
    const floorFinals = floor.drafts('floor-final', total + WARMUP, last, earlier, ids);

    const bareReceiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logger: quiet });
    const bare = new App({
      token: 'xoxb-bench',
      receiver: bareReceiver,
      logger: quiet,
      clientOptions: { slackApiUrl: `${api.url}/api/` },
      deferInitialization: true,
    });
    bare.command('/dudao', async ({ ack }) => ack());
    bare.view('dudao_form', async ({ ack }) => ack());
    await bare.init();
    const bareServer = createServer(bareReceiver.requestListener);
    await new Promise<void>((r) => bareServer.listen(0, '127.0.0.1', r));
    cleanups.unshift(() => new Promise((r) => bareServer.close(r)));
    const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/slack/events`;
    const dudaoUrl = `http://127.0.0.1:${dudao.port}/slack/events`;
    const responseUrl = `${api.url}/response`;

    const dudaoDrafts = { i: 0 };
    const bareDrafts = { i: 0 };
    const dudaoFinals = { i: 0 };
    const bareFinals = { i: 0 };
    const floorPages = { i: 0 };
    const floorLast = { i: 0 };
    /** rps: completed requests per second (for bare Bolt, its acks); ackRps: acks per second; cpuMs per request. */
    type Side = ReturnType<typeof summarize> & {
      rps: number;
      ackRps: number;
      cpuMs: number;
      errors: number;
      n: number;
    };
    const results: Record<string, { bare: Side; dudao: Side; floor?: Side }> = {};
    // The floor's clock, like dudao's, runs until the work after its acks (the summary post) is done.
    const floorSettle = () => floor.idle();
    const scenarios: Array<[string, () => () => string, () => () => string, (() => () => string)?]> = [
      ['/dudao status', () => command(responseUrl), () => command(responseUrl)],
      [
        'checklist page submit',
        () => submission(drafts, bareDrafts, values),
        () => submission(drafts, dudaoDrafts, values),
        () => submission(floorDrafts, floorPages, values),
      ],
      [
        'checklist final submit',
        () => submission(finals, bareFinals, lastValues, last),
        () => submission(finals, dudaoFinals, lastValues, last),
        () => submission(floorFinals, floorLast, lastValues, last),
      ],
    ];
    for (const [name, forBare, forDudao, forFloor] of scenarios) {
      // The same warm-up on every side: it compiles the hot paths and opens the keep-alive connections.
      await load(bareUrl, forBare(), WARMUP);
      if (forFloor) await load(floor.url, forFloor(), WARMUP, floorSettle);
      await load(dudaoUrl, forDudao(), WARMUP, settle);
      const bareRounds: Load[] = [];
      const floorRounds: Load[] = [];
      const dudaoRounds: Load[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        bareRounds.push(await load(bareUrl, forBare(), total / ROUNDS));
        if (forFloor) floorRounds.push(await load(floor.url, forFloor(), total / ROUNDS, floorSettle));
        dudaoRounds.push(await load(dudaoUrl, forDudao(), total / ROUNDS, settle));
      }
      const side = (rounds: Load[]): Side => {
        const n = rounds.reduce((x, r) => x + r.ms.length, 0);
        const sum = (f: (r: Load) => number) => rounds.reduce((x, r) => x + f(r), 0);
        return {
          ...summarize(rounds.flatMap((r) => r.ms)),
          rps: (n / sum((r) => r.wallMs)) * 1000,
          ackRps: (n / sum((r) => r.ackWallMs)) * 1000,
          cpuMs: sum((r) => r.cpuMs) / n,
          errors: sum((r) => r.errors),
          n,
        };
      };
      results[name] = {
        bare: side(bareRounds),
        dudao: side(dudaoRounds),
        ...(forFloor ? { floor: side(floorRounds) } : {}),
      };
    }
    await settle();
    const submitted = dudaoDrafts.i;
    const saved = await dudao.db.prisma.inspectionDraft.count({
      where: { page: 1, id: { startsWith: 'bench-draft-' } },
    });
    // Written out whole: the details and messages come after the ack (the settle above waited for them).
    const inspections = await dudao.db.prisma.inspection.count({
      where: { draftId: { startsWith: 'bench-final-' }, materializedAt: { not: null } },
    });
    const commands = results['/dudao status']!.dudao.n + WARMUP;
    const calls = await api.calls();
    return {
      results,
      submitted,
      pagesSaved: saved,
      finalsSubmitted: dudaoFinals.i,
      inspections,
      commands,
      replies: calls.get('response') ?? 0,
      apiCalls: Object.fromEntries(calls),
      sync: process.env.BENCH_SQLITE_SYNC ?? 'full',
    };
  } finally {
    for (const c of cleanups) await c();
  }
}

/** Status: ratio >= 0.5 and p99 < 100 ms; a submission: p99 < 200 ms (its ratio is no goal). */
function goals(scenario: string, ackRatio: number, p99: number): string {
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  if (scenario === '/dudao status')
    return `goal ratio >= 0.5: ${verdict(ackRatio >= 0.5)}; ack p99 goal < 100 ms: ${verdict(p99 < 100)}`;
  return `ack p99 goal < 200 ms: ${verdict(p99 < 200)}`;
}

export function printIngress(r: Awaited<ReturnType<typeof benchIngress>>) {
  console.log(`\n## ingress (Slack HTTP, ${CONCURRENCY} concurrent requests, signed; SQLite synchronous=${r.sync})`);
  console.log(
    'acks: time to the HTTP response, acks/s until the last one; done: req/s until dudao also finished its work after the ack',
  );
  console.log(
    '(a page submit is acked with the next page, a final submit once the submission is saved, its details written after the ack);',
  );
  console.log('cpu: this process per request (load generator, server, and the Web API stand-in on its own thread)');
  for (const [name, { bare, dudao, floor }] of Object.entries(r.results)) {
    const ackRatio = dudao.ackRps / bare.ackRps;
    const ratio = dudao.rps / bare.rps;
    console.log(`${name}`);
    console.log(
      `  bare Bolt (ack only)  acks ${fmt(bare.ackRps, 0)}/s  ack p50 ${fmt(bare.p50)} ms  p99 ${fmt(bare.p99)} ms  cpu ${fmt(bare.cpuMs)} ms/req  errors ${bare.errors}`,
    );
    if (floor) {
      console.log(
        `  floor (Bolt, minimum) acks ${fmt(floor.ackRps, 0)}/s  ack p50 ${fmt(floor.p50)} ms  p99 ${fmt(floor.p99)} ms  cpu ${fmt(floor.cpuMs)} ms/req  errors ${floor.errors}  done ${fmt(floor.rps, 0)} req/s  (${fmt(floor.ackRps / bare.ackRps)} of bare Bolt)`,
      );
    }
    console.log(
      `  dudao                 acks ${fmt(dudao.ackRps, 0)}/s  ack p50 ${fmt(dudao.p50)} ms  p99 ${fmt(dudao.p99)} ms  cpu ${fmt(dudao.cpuMs)} ms/req  errors ${dudao.errors}  done ${fmt(dudao.rps, 0)} req/s`,
    );
    console.log(`  throughput ratio to bare Bolt (acks): ${fmt(ackRatio)}; ${goals(name, ackRatio, dudao.p99)}`);
    console.log(`  completed work (dudao's whole answer, against bare Bolt's empty ack): ${fmt(ratio)}`);
    if (floor)
      console.log(
        `  against the floor: acks ${fmt(dudao.ackRps / floor.ackRps)}, completed work ${fmt(dudao.rps / floor.rps)}`,
      );
  }
  console.log(
    `checklist pages saved by dudao: ${r.pagesSaved} of ${r.submitted} submitted; inspections saved: ${r.inspections} of ${r.finalsSubmitted} final submits; status replies posted: ${r.replies} of ${r.commands} commands`,
  );
  console.log(
    `stub Slack API calls (dudao and the floor): ${Object.entries(r.apiCalls)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
  );
}
