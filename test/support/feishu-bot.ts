// The whole bot wired to a fake Feishu: a migrated test database (SQLite or PostgreSQL), the org, the real
// startDudao with its HTTP server, and a poster that encrypts and signs deliveries as Feishu does.

import type { Member } from '../../src/core/ports.js';
import type { Running } from '../../src/main.js';
import type { Repos } from '../../src/store/index.js';
import { startTestBot } from './bot.js';
import type { FixedClock } from './clock.js';
import type { TestDbKind } from './db.js';
import { type FakeFeishu, type SentMessage, startFakeFeishu } from './fake-feishu.js';
import {
  feishuPoster,
  formSubmit,
  type MessageOptions,
  messageEvent,
  type PostResult,
  type SignOptions,
  TEST_APP_ID,
  TEST_ENCRYPT_KEY,
  TEST_VERIFICATION_TOKEN,
} from './feishu-requests.js';
import type { PersonSpec } from './org.js';

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
  submit(
    card: Json,
    openId: string,
    values: Record<string, string>,
    o?: { withValue?: boolean; chatId?: string },
  ): Promise<PostResult>;
  /** Handles pending events, then sends what is due in the outbox. */
  settle(): Promise<void>;
  /** Cards the bot sent (replies and creates), oldest first. */
  sent(): SentMessage[];
  logs(): Array<Record<string, any>>;
  stop(): Promise<void>;
}

export async function startFeishuBot(o: FeishuBotOptions = {}): Promise<FeishuBot> {
  const fake = await startFakeFeishu();
  const bot = await startTestBot({
    ...o,
    env: {
      FEISHU_APP_ID: TEST_APP_ID,
      FEISHU_APP_SECRET: 'feishu-test-secret',
      FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
      FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      FEISHU_DOMAIN: fake.url,
      ...o.env,
    },
    stopFake: () => fake.stop(),
  });
  const { dudao, repos, people, clock } = bot;
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
    async submit(card, openId, values, s = {}) {
      const res = await deliver(formSubmit(card, values, { openId, createTime: clock.now(), ...s }));
      // The answer is back; what runs after it (a checklist's findings and cards) settles before the test reads on.
      await idle();
      return res;
    },
    async settle() {
      await idle();
      await dudao.dispatcher.nudge();
    },
    sent: () => fake.sent(),
    logs: bot.logs,
    stop: () => bot.stop(idle),
  };
}
