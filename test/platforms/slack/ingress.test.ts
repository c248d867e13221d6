// What reaches POST /slack/events and is refused (forged, stale, malformed), and what arrives twice and
// has one effect (replayed commands, redelivered events).
import { describe, expect, it } from 'vitest';
import { textOf } from '../../support/fake-slack.js';
import { type SlackBot, sharedSlackBot } from '../../support/slack-bot.js';
import {
  eventCallback,
  FORM_CONTENT_TYPE,
  JSON_CONTENT_TYPE,
  nowSeconds,
  post,
  slashCommand,
  viewSubmission,
} from '../../support/slack-requests.js';

let bot: SlackBot;
const { snapshot } = sharedSlackBot((b) => (bot = b));

const inspect = () => slashCommand({ text: 'inspect 门店A', userId: 'USUP', responseUrl: bot.fake.responseUrl() });

describe('refused requests', () => {
  it('answers 401 to a forged signature and does nothing', async () => {
    const before = await snapshot();
    expect((await bot.slack.send(inspect(), { secret: 'not-the-signing-secret' })).status).toBe(401);
    expect((await bot.slack.send(inspect(), { signature: `v0=${'0'.repeat(64)}` })).status).toBe(401);
    const unsigned = inspect();
    expect((await post(bot.slack.url, unsigned.body, { 'content-type': FORM_CONTENT_TYPE })).status).toBe(401);
    await bot.idle();
    expect(await snapshot()).toEqual(before);
    // Operators can see that someone is knocking.
    expect(bot.logs().some((l) => l.source === 'bolt' && l.level === 40 && /signature mismatch/.test(l.msg))).toBe(
      true,
    );
  });

  it('answers 401 to a correctly signed request older than five minutes', async () => {
    const before = await snapshot();
    expect((await bot.slack.send(inspect(), { timestamp: nowSeconds() - 5 * 60 - 30 })).status).toBe(401);
    await bot.idle();
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 to a signed but malformed body or payload', async () => {
    const before = await snapshot();
    expect((await bot.slack.send({ body: '{"type":"event_callback",', contentType: JSON_CONTENT_TYPE })).status).toBe(
      400,
    );
    expect(
      (await bot.slack.send({ body: 'payload=%7B%22type%22%3A%22view_submission', contentType: FORM_CONTENT_TYPE }))
        .status,
    ).toBe(400);
    await bot.idle();
    expect(await snapshot()).toEqual(before);
  });

  it('answers a submission whose private_metadata was tampered with by a localized error, saving nothing', async () => {
    const before = await snapshot();
    const view = { callback_id: 'dudao_form', private_metadata: '{"t":"inspection","id":', blocks: [] };
    const r = await bot.slack.send(viewSubmission({ userId: 'USUP', view }));
    expect(r.status).toBe(200);
    expect(r.json.response_action).toBe('update');
    expect(textOf(r.json.view)).toMatch(
      /Something went wrong on our side\. Nothing was changed\. Reference: [0-9a-f]{8}/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('answers Slack’s URL verification challenge', async () => {
    const r = await bot.slack.send({
      body: JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' }),
      contentType: JSON_CONTENT_TYPE,
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ challenge: 'c-123' });
  });
});

describe('repeated deliveries', () => {
  it('opens one checklist for a slash command delivered twice', async () => {
    const req = inspect();
    const drafts = await bot.dudao.db.prisma.inspectionDraft.count();
    expect((await bot.slack.send(req)).status).toBe(200);
    expect((await bot.slack.send(req)).status).toBe(200);
    await bot.idle();
    expect(bot.fake.callsTo('views.open')).toHaveLength(1);
    expect(await bot.dudao.db.prisma.inspectionDraft.count()).toBe(drafts + 1);
    expect(
      await bot.dudao.db.prisma.processedDelivery.count({ where: { key: `slack:trigger:${req.triggerId}` } }),
    ).toBe(1);
  });

  it('answers an event once when Slack redelivers it with X-Slack-Retry-Num', async () => {
    const first = await bot.dm('USUP', 'dept list');
    expect(first.status).toBe(200);
    const again = await bot.dm('USUP', 'dept list', {
      eventId: first.eventId,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(again.status).toBe(200);
    const replies = bot.fake.callsTo('chat.postMessage');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.channel).toBe('DUSUP');
    expect(textOf(replies[0]!.body)).toContain('Departments');
  });

  it('runs a redelivery whose first copy never arrived', async () => {
    const r = await bot.dm('USUP', 'help', { retryNum: 2 });
    expect(r.status).toBe(200);
    expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('ignores the bot’s own messages and messages outside direct chats', async () => {
    const before = await snapshot();
    const own = eventCallback({
      type: 'message',
      channel: 'DUSUP',
      user: 'UBOT',
      bot_id: 'BBOT',
      text: 'dudao commands',
      ts: '1.1',
      channel_type: 'im',
    });
    const channel = eventCallback({
      type: 'message',
      channel: 'C0OPS',
      user: 'USUP',
      text: 'help',
      ts: '1.2',
      channel_type: 'channel',
    });
    expect((await bot.slack.send(own)).status).toBe(200);
    expect((await bot.slack.send(channel)).status).toBe(200);
    await bot.idle();
    expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect((await snapshot()).members).toBe(before.members);
  });
});
