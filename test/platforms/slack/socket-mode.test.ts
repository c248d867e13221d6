// Slack Socket Mode end to end: the real bot (SLACK_APP_TOKEN set, so Bolt's SocketModeReceiver) opens its
// connection through apps.connections.open on the fake Web API, gets `hello` on a loopback WebSocket, and
// then receives the same requests HTTP mode does, as envelopes. Each one is acknowledged over the socket
// (a view submission's answer travels in the ack) and answered as in HTTP mode.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../support/bot.js';
import { FakeSlack, textOf } from '../../support/fake-slack.js';
import { envelopeOf, FakeSlackSocket } from '../../support/fake-slack-socket.js';
import { MALFORMED_SLACK } from '../../support/malformed-requests.js';
import {
  blockActions,
  directMessage,
  type ModalLike,
  slashCommand,
  viewSubmission,
} from '../../support/slack-requests.js';

const APP_TOKEN = 'xapp-1-A0DUDAO-1111-fakeapptoken';
const BOT_TOKEN = 'xoxb-test-token';

let fake: FakeSlack;
let socket: FakeSlackSocket;
let bot: TestBot;

beforeAll(async () => {
  fake = await FakeSlack.start();
  socket = await FakeSlackSocket.start(fake, { appToken: APP_TOKEN });
  // No signing secret: Socket Mode needs none. startDudao returns once the socket has said hello.
  bot = await startTestBot({
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.apiUrl },
    stopFake: async () => {
      await socket.close();
      await fake.close();
    },
  });
});
afterAll(async () => bot.stop(() => bot.dudao.slack!.idle()));
beforeEach(async () => {
  await bot.dudao.slack!.idle();
  fake.reset();
});

const idle = () => bot.dudao.slack!.idle();

/** Runs `/dudao <text>` over the socket; resolves with the ack and the posts to its response_url. */
async function command(userId: string, text: string, responseId: string) {
  const req = slashCommand({ text, userId, responseUrl: fake.responseUrl(responseId) });
  const envelope = envelopeOf(req);
  const ack = await socket.deliver(envelope);
  await idle();
  return { envelope, ack, triggerId: req.triggerId, responses: fake.responses(responseId) };
}

describe('Slack Socket Mode', () => {
  it('opens its connection with the app-level token through the configured Web API URL', async () => {
    expect(socket.isConnected).toBe(true);
    expect(socket.openTokens).toEqual([APP_TOKEN]);
    expect(socket.connections).toHaveLength(1);
    expect(socket.connections[0]).toMatch(/^\/link\/\?ticket=[0-9a-f-]{36}&app_id=A0DUDAO$/);
    const health = await fetch(`http://127.0.0.1:${bot.dudao.port}/healthz`).then((r) => r.json());
    expect(health).toMatchObject({ ok: true, slack: 'socket' });
    // Socket Mode receives nothing over HTTP: there is no signing secret to check requests with.
    const res = await fetch(`http://127.0.0.1:${bot.dudao.port}/slack/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });

  it('acks a slash command envelope and answers through its response_url', async () => {
    const { envelope, ack, responses } = await command('UBOB', 'help', 'sm-help');
    expect(envelope.type).toBe('slash_commands');
    expect(ack).toEqual({ envelope_id: envelope.envelope_id, payload: {} });
    expect(socket.acks(envelope.envelope_id)).toHaveLength(1);
    expect(responses).toHaveLength(1);
    expect(responses[0]!.body.response_type).toBe('ephemeral');
    expect(textOf(responses[0]!.body)).toContain('dudao commands');
  });

  it('answers status in the member’s language', async () => {
    const { ack, envelope, responses } = await command('UMGR', '状态', 'sm-status');
    expect(ack.envelope_id).toBe(envelope.envelope_id);
    expect(responses).toHaveLength(1);
    expect(textOf(responses[0]!.body)).toContain('状态 — 门店A');
  });

  it('opens a modal with the command’s trigger_id and answers its submission in the ack', async () => {
    const opened = await command('USUP', 'inspect 门店A', 'sm-inspect');
    expect(opened.responses).toEqual([]);
    const [views] = fake.callsTo('views.open');
    expect(views!.body.trigger_id).toBe(opened.triggerId);
    // Web API calls made while handling socket requests use the bot token, not the app-level token.
    expect(views!.token).toBe(BOT_TOKEN);
    const modal = views!.body.view as ModalLike;

    // Submitted with nothing filled in: the errors come back as the ack's payload, and nothing is saved.
    const submission = envelopeOf(viewSubmission({ userId: 'USUP', view: modal, values: {} }));
    expect(submission).toMatchObject({ type: 'interactive', accepts_response_payload: true });
    const ack = await socket.deliver(submission);
    expect(ack.envelope_id).toBe(submission.envelope_id);
    expect(ack.payload?.response_action).toBe('errors');
    expect(Object.keys(ack.payload?.errors ?? {}).length).toBeGreaterThan(0);
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(0);
  });

  it('acks a button click and answers through its response_url', async () => {
    const click = envelopeOf(
      blockActions({
        userId: 'USTAFF',
        actionId: 'finding.open:0',
        value: '1',
        responseUrl: fake.responseUrl('sm-click'),
      }),
    );
    expect(click).toMatchObject({ type: 'interactive', accepts_response_payload: false });
    const ack = await socket.deliver(click);
    expect(ack).toEqual({ envelope_id: click.envelope_id, payload: {} });
    await idle();
    const [answer] = fake.responses('sm-click');
    expect(answer!.body).toMatchObject({ replace_original: false, response_type: 'ephemeral' });
    expect(textOf(answer!.body)).toContain('督导机器人命令');
  });

  it('acks a redelivered event (retry_attempt 1) and acts on it once', async () => {
    const dm = directMessage({ userId: 'UMGR', text: '部门 列表' });
    const first = envelopeOf(dm);
    // Slack redelivers in a new envelope, with the same event_id, when it thinks the ack came too late.
    const retry = envelopeOf(dm, { retryAttempt: 1, retryReason: 'timeout' });
    expect(retry.envelope_id).not.toBe(first.envelope_id);
    expect((await socket.deliver(first)).envelope_id).toBe(first.envelope_id);
    expect((await socket.deliver(retry)).envelope_id).toBe(retry.envelope_id);
    await idle();
    const posts = fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channel).toBe('DUMGR');
    expect(textOf(posts[0]!.body)).toContain('部门列表');
    expect(await bot.dudao.db.prisma.processedDelivery.count({ where: { key: `slack:event:${dm.eventId}` } })).toBe(1);
  });

  it('logs no Socket Mode or Bolt errors along the way', () => {
    expect(bot.logs().filter((l) => l.level >= 50)).toEqual([]);
  });

  // Last: it replaces the connection. Slack asks apps to reconnect every few hours; the client waits its
  // reconnect delay (5 s, the SDK's clientPingTimeout) before asking apps.connections.open for a new URL.
  it('reconnects when Slack sends disconnect, retrying a failed apps.connections.open, and keeps answering', async () => {
    fake.failNext('apps.connections.open', { kind: 'http', status: 503 });
    socket.send({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'applink-fake' } });
    await socket.connected(2);
    const opens = fake.callsTo('apps.connections.open');
    expect(opens.map((c) => [c.token, c.answer?.status])).toEqual([
      [APP_TOKEN, 503],
      [APP_TOKEN, 200],
    ]);
    expect(socket.connections).toHaveLength(2);
    const { ack, envelope, responses } = await command('UBOB', 'help', 'sm-after-reconnect');
    expect(ack.envelope_id).toBe(envelope.envelope_id);
    expect(textOf(responses[0]!.body)).toContain('dudao commands');
  }, 20_000);
});

describe('Slack Socket Mode: payloads dudao does not handle', () => {
  // An events_api envelope whose payload has no event object never reaches Bolt: @slack/socket-mode reads
  // payload.event.type first and rejects where nothing awaits it (src/process-policy.ts keeps serving then).
  const cases = MALFORMED_SLACK.filter(({ req }) => {
    const e = envelopeOf(req);
    return e.type !== 'events_api' || (typeof e.payload?.event === 'object' && e.payload.event !== null);
  });
  const warnings = () => bot.logs().filter((l) => l.level === 40);

  it.each(cases)('$name: acknowledged once, one warn line, nothing posted or stored', async ({ req }) => {
    const drafts = await bot.dudao.db.prisma.inspectionDraft.count();
    const warned = warnings().length;
    const envelope = envelopeOf(req);
    const ack = await socket.deliver(envelope);
    await idle();
    expect(ack.payload ?? {}).toEqual({});
    expect(socket.acks(envelope.envelope_id)).toHaveLength(1);
    expect(fake.calls).toEqual([]);
    expect(await bot.dudao.db.prisma.inspectionDraft.count()).toBe(drafts);
    const added = warnings().slice(warned);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ source: 'slack' });
  });

  it('keeps answering commands after them', async () => {
    const { responses } = await command('UBOB', 'help', 'sm-after-malformed');
    expect(textOf(responses[0]!.body)).toContain('dudao commands');
    expect(bot.logs().filter((l) => l.level >= 50)).toEqual([]);
  });
});
