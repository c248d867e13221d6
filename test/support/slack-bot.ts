// The whole bot wired to a fake Slack: a migrated test database (SQLite or PostgreSQL), the org, the real
// startDudao with its HTTP server, and a signer that posts to /slack/events as Slack does.
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Member } from '../../src/core/ports.js';
import type { Running } from '../../src/main.js';
import type { Repos } from '../../src/store/index.js';
import { startTestBot } from './bot.js';
import type { FixedClock } from './clock.js';
import { storeCounts, type TestDbKind } from './db.js';
import { FakeSlack, type FakeSlackCall, type FakeSlackUser, textOf } from './fake-slack.js';
import type { PersonSpec } from './org.js';
import {
  directMessage,
  type ModalLike,
  type PostResult,
  type SendOptions,
  SlackSigner,
  slashCommand,
  viewSubmission,
} from './slack-requests.js';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface SlackBotOptions {
  kind?: TestDbKind;
  people?: PersonSpec[];
  departments?: string[];
  /** Profiles users.info returns for people not in the org. */
  slackUsers?: FakeSlackUser[];
  clock?: FixedClock;
  env?: Record<string, string>;
}

export interface SlackBot {
  dudao: Running;
  fake: FakeSlack;
  repos: Repos;
  people: Record<string, Member>;
  clock: FixedClock;
  slack: SlackSigner;
  /** Waits until every request sent so far has been handled (the ack comes before the work). */
  idle(): Promise<void>;
  /** Handles pending requests, then sends what is due in the outbox. */
  settle(): Promise<void>;
  /** Runs `/dudao <text>` and waits for its handling; `responses` are the posts to its response_url. */
  command(
    userId: string,
    text: string,
    o?: { channelId?: string; triggerId?: string } & SendOptions,
  ): Promise<CommandResult>;
  /** Submits a modal as the user; the answer carries the response_action. */
  submit(userId: string, view: ModalLike, values: Record<string, string>, o?: SendOptions): Promise<PostResult>;
  /** Sends a direct message to the bot (message.im event) and waits for its handling. */
  dm(userId: string, text: string, o?: { eventId?: string } & SendOptions): Promise<PostResult & { eventId: string }>;
  /** Parsed JSON log lines written so far. */
  logs(): Array<Record<string, any>>;
  stop(): Promise<void>;
}

export interface CommandResult extends PostResult {
  triggerId: string;
  responses: FakeSlackCall[];
}

let responseSeq = 0;

export async function startSlackBot(o: SlackBotOptions = {}): Promise<SlackBot> {
  const fake = await FakeSlack.start({ users: o.slackUsers });
  const bot = await startTestBot({
    ...o,
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ...o.env,
    },
    stopFake: () => fake.close(),
  });
  const { dudao, repos, people, clock } = bot;
  const idle = () => dudao.slack!.idle();
  const slack = new SlackSigner(`http://127.0.0.1:${dudao.port}/slack/events`, TEST_SIGNING_SECRET);
  return {
    dudao,
    fake,
    repos,
    people,
    clock,
    slack,
    idle,
    async command(userId, text, o = {}) {
      const id = `cmd${++responseSeq}`;
      const req = slashCommand({
        text,
        userId,
        channelId: o.channelId,
        triggerId: o.triggerId,
        responseUrl: fake.responseUrl(id),
      });
      const res = await slack.send(req, o);
      await idle();
      return { ...res, triggerId: req.triggerId, responses: fake.responses(id) };
    },
    async submit(userId, view, values, o = {}) {
      const res = await slack.send(viewSubmission({ userId, view, values }), o);
      await idle();
      return res;
    },
    async dm(userId, text, o = {}) {
      const req = directMessage({ userId, text, eventId: o.eventId });
      const res = await slack.send(req, o);
      await idle();
      return { ...res, eventId: req.eventId };
    },
    async settle() {
      await idle();
      await dudao.dispatcher.nudge();
    },
    logs: bot.logs,
    stop: () => bot.stop(idle),
  };
}

/** Runs `/dudao <text>` and returns its one ephemeral answer, as text. */
export async function ephemeralAnswer(b: SlackBot, userId: string, text: string): Promise<string> {
  const r = await b.command(userId, text);
  expect(r.status).toBe(200);
  expect(r.responses).toHaveLength(1);
  expect(r.responses[0]!.body.response_type).toBe('ephemeral');
  return textOf(r.responses[0]!.body);
}

/**
 * One bot for a whole test file, idle and with a clean fake Slack before each test; `use` receives it. The
 * returned snapshot counts everything a request could have changed (stored rows, Slack calls).
 */
export function sharedSlackBot(use: (bot: SlackBot) => void, o: SlackBotOptions = {}) {
  let bot: SlackBot;
  beforeAll(async () => {
    bot = await startSlackBot(o);
    use(bot);
  });
  afterAll(async () => bot.stop());
  beforeEach(async () => {
    await bot.idle();
    bot.fake.reset();
  });
  return { snapshot: async () => ({ ...(await storeCounts(bot.dudao.db.prisma)), slackCalls: bot.fake.calls.length }) };
}
