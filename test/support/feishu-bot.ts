// The whole bot wired to a fake Feishu: a migrated test database (SQLite or PostgreSQL), the org, the real
// startDudao with its HTTP server, and a poster that encrypts and signs deliveries as Feishu does.
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/logging.js';
import { startDudao, type Running } from '../../src/main.js';
import type { Member } from '../../src/core/ports.js';
import { createRepos, type Repos } from '../../src/store/index.js';
import { FixedClock } from './clock.js';
import { createTestDatabase, type TestDbKind } from './db.js';
import { startFakeFeishu, type FakeFeishu, type SentMessage } from './fake-feishu.js';
import {
  feishuPoster,
  formSubmit,
  messageEvent,
  TEST_APP_ID,
  TEST_ENCRYPT_KEY,
  TEST_VERIFICATION_TOKEN,
  type MessageOptions,
  type PostResult,
  type SignOptions,
} from './feishu-requests.js';
import { buildOrg, STANDARD_ORG, type PersonSpec } from './org.js';

export interface FeishuBotOptions {
  kind?: TestDbKind;
  people?: PersonSpec[];
  departments?: string[];
  clock?: FixedClock;
  env?: Record<string, string>;
}

type Json = Record<string, unknown>;

export interface FeishuBot {
  dudao: Running;
  fake: FakeFeishu;
  repos: Repos;
  people: Record<string, Member>;
  clock: FixedClock;
  url: string;
  /** Encrypts, signs and posts a payload to /feishu/events (options forge, age or strip it). */
  deliver(payload: Json, o?: SignOptions & { encrypt?: boolean; sign?: boolean }): Promise<PostResult>;
  /** Sends a text message to the bot and waits for the background work it started. */
  say(o: MessageOptions): Promise<PostResult & { messageId: string }>;
  /** Presses the submit button of a form card the bot sent, with these values. */
  submit(card: Json, openId: string, values: Record<string, string>, o?: { withValue?: boolean; chatId?: string }): Promise<PostResult>;
  /** Handles pending events, then sends what is due in the outbox. */
  settle(): Promise<void>;
  /** Cards the bot sent (replies and creates), oldest first. */
  sent(): SentMessage[];
  logs(): Array<Record<string, any>>;
  stop(): Promise<void>;
}

export async function startFeishuBot(o: FeishuBotOptions = {}): Promise<FeishuBot> {
  const fake = await startFakeFeishu();
  const testDb = await createTestDatabase(o.kind ?? 'sqlite');
  // startDudao opens its own connection from the URL; the test's one only had to create and migrate it.
  await testDb.close();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const clock = o.clock ?? new FixedClock();
  const config = loadConfig({
    DATABASE_URL: testDb.url,
    FEISHU_APP_ID: TEST_APP_ID,
    FEISHU_APP_SECRET: 'feishu-test-secret',
    FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
    FEISHU_DOMAIN: fake.url,
    LOG_LEVEL: 'info',
    ...o.env,
  });
  let dudao: Running;
  try {
    dudao = await startDudao(config, { port: 0, clock, logger: createLogger('info', sink) });
  } catch (e) {
    await fake.stop();
    await testDb.destroy();
    throw e;
  }
  const repos = createRepos(dudao.db);
  const people = await buildOrg(repos, o.people ?? STANDARD_ORG, o.departments);
  const url = `http://127.0.0.1:${dudao.port}/feishu/events`;
  const deliver = feishuPoster(url, clock);
  const idle = () => dudao.feishu!.idle();
  return {
    dudao,
    fake,
    repos,
    people,
    clock,
    url,
    deliver,
    async say(m) {
      const event = messageEvent({ createTime: clock.now(), ...m });
      const res = await deliver(event);
      await idle();
      return { ...res, messageId: (event.event as { message: { message_id: string } }).message.message_id };
    },
    submit: (card, openId, values, s = {}) => deliver(formSubmit(card, values, { openId, createTime: clock.now(), ...s })),
    async settle() {
      await idle();
      await dudao.dispatcher.nudge();
    },
    sent: () => fake.sent(),
    logs: () =>
      lines.flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, any>];
        } catch {
          return [];
        }
      }),
    async stop() {
      await idle();
      await dudao.stop();
      await fake.stop();
      await testDb.destroy();
    },
  };
}
