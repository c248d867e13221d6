// kill -9 in the middle of a burst: real bot processes on one database, against a fake Slack and a fake
// Feishu that answer every post late. A burst of messages is queued (alternating Slack and Feishu, each with
// its own key), the process sending it is killed at the moment a Slack post has reached Slack but its answer
// has not come back, and then either a new process is started on the database (`restart`) or a second
// process that was running all along takes over (`peer`). Measured: when the last message arrived, counted
// from the death and from the restart, and how many messages arrived twice or never.
// Shared by test/delivery/outbox-crash.test.ts and `npm run bench crash`.

import type { OutboxItem } from '../../src/core/ports.js';
import { uuidOf } from '../../src/platforms/feishu/sender.js';
import { createRepos } from '../../src/store/index.js';
import { type BotProcess, spawnBot } from './bot-process.js';
import { createTestDatabase, type TestDbKind } from './db.js';
import { startFakeFeishu } from './fake-feishu.js';
import { FakeSlack } from './fake-slack.js';
import { TEST_APP_ID, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from './feishu-requests.js';

export interface CrashOptions {
  kind: TestDbKind;
  mode: 'restart' | 'peer';
  /** Messages queued, half to Slack and half to Feishu. */
  messages?: number;
  /** How late the fakes answer each post. */
  latencyMs?: number;
  /** The kill comes when this many Slack posts have reached Slack. */
  killAtSlackPost?: number;
  /** Gives up waiting for the burst this long after the death. */
  deadlineMs?: number;
}

export interface CrashResult {
  queued: number;
  /** Queued messages that arrived at least once. */
  delivered: number;
  /** Arrivals beyond the first, over all messages. */
  duplicates: number;
  /** From the kill until the last queued message had arrived. */
  afterDeathMs: number;
  /** `restart`: from starting the new process until the last queued message had arrived. */
  afterRestartMs?: number;
  /** Messages that had arrived when the process died (the one in flight included). */
  beforeDeath: number;
  /** From the restart (`restart`) or the death (`peer`) until the first message not out before the death arrived. */
  resumedMs?: number;
  /** `restart`: from starting the new process until it logged that it runs. */
  startupMs?: number;
}

const CHANNEL = 'C0CRASH';
const CHAT = 'oc_crash';

export async function crashRun(o: CrashOptions): Promise<CrashResult> {
  const n = o.messages ?? 30;
  const latency = o.latencyMs ?? 200;
  const killAt = o.killAtSlackPost ?? 5;
  const slack = await FakeSlack.start();
  const feishu = await startFakeFeishu();
  const db = await createTestDatabase(o.kind);
  const bots: BotProcess[] = [];
  try {
    slack.slow('chat.postMessage', latency);
    slack.slow('conversations.history', latency);
    feishu.slow('message.create', latency);
    const env = (name: string) => ({
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: `xoxb-crash-${name}`,
      SLACK_SIGNING_SECRET: 'crash-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      FEISHU_APP_ID: TEST_APP_ID,
      FEISHU_APP_SECRET: 'crash-feishu-secret',
      FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
      FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      FEISHU_DOMAIN: feishu.url,
    });
    const first = spawnBot(env('a'));
    bots.push(first);
    const peer = o.mode === 'peer' ? spawnBot(env('b')) : undefined;
    if (peer) bots.push(peer);
    await Promise.all(bots.map((b) => b.running()));

    const keys = Array.from({ length: n }, (_, i) => `crash:${i}`);
    const items: OutboxItem[] = keys.map((key, i) =>
      i % 2 === 0
        ? {
            platform: 'slack',
            target: { kind: 'channel', id: CHANNEL },
            message: { text: `summary ${i}`, blocks: [] },
            dedupeKey: key,
          }
        : {
            platform: 'feishu',
            target: { kind: 'channel', id: CHAT },
            message: { text: `summary ${i}`, blocks: [] },
            dedupeKey: key,
          },
    );
    await createRepos(db).outbox.enqueue(items, new Date());

    // Arrivals per key: Slack messages by their text (each is unique), Feishu messages by their uuid.
    const byText = new Map(items.map((m) => [m.message.text, m.dedupeKey]));
    const byUuid = new Map(keys.map((k) => [uuidOf(k), k]));
    const arrivals = () => {
      const count = new Map<string, number>();
      for (const m of slack.messages()) {
        const key = byText.get(m.text ?? '');
        if (key) count.set(key, (count.get(key) ?? 0) + 1);
      }
      for (const m of feishu.sent()) {
        const key = m.uuid ? byUuid.get(m.uuid) : undefined;
        if (key) count.set(key, (count.get(key) ?? 0) + 1);
      }
      return count;
    };

    const inFlight = await slack.waitFor(
      (c) => c.method === 'chat.postMessage' && slack.callsTo('chat.postMessage').length >= killAt,
    );
    const victim = inFlight.token === 'xoxb-crash-b' ? peer! : first;
    await victim.kill9();
    const diedAt = Date.now();
    const beforeDeath = arrivals().size;

    let restartedAt: number | undefined;
    let startupMs: number | undefined;
    if (o.mode === 'restart') {
      restartedAt = Date.now();
      const again = spawnBot(env('c'));
      bots.push(again);
      void again.running().then(
        () => (startupMs = Date.now() - restartedAt!),
        () => undefined,
      );
    }
    const deadline = diedAt + (o.deadlineMs ?? 30_000);
    let doneAt: number | undefined;
    let resumedAt: number | undefined;
    while (Date.now() < deadline) {
      const got = arrivals().size;
      if (resumedAt === undefined && got > beforeDeath) resumedAt = Date.now();
      if (got === n) {
        doneAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    // A second copy goes out before its row is marked sent: once every row is, the count is final.
    while (Date.now() < deadline && (await db.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })) > 0)
      await new Promise((r) => setTimeout(r, 20));
    const final = arrivals();
    const end = doneAt ?? Date.now();
    return {
      queued: n,
      delivered: final.size,
      duplicates: [...final.values()].reduce((sum, c) => sum + c - 1, 0),
      afterDeathMs: end - diedAt,
      ...(resumedAt !== undefined ? { resumedMs: resumedAt - (restartedAt ?? diedAt) } : {}),
      ...(restartedAt !== undefined ? { afterRestartMs: end - restartedAt, startupMs } : {}),
      beforeDeath,
    };
  } catch (e) {
    const logs = bots.map((b, i) => `--- bot ${i}\n${b.output()}`).join('\n');
    throw new Error(`${(e as Error).message}\n${logs}`);
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await slack.close();
    await feishu.stop();
    await db.destroy();
  }
}
