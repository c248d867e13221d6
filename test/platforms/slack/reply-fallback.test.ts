// An answer response_url does not take (429, 5xx) after the command's change was saved is not lost: it is
// queued through the outbox as a direct message to the person, keyed by the request's trigger_id, and
// arrives once when the dispatcher runs. A refusal of another kind (the URL is gone) queues nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { textOf } from '../../support/fake-slack.js';
import { STANDARD_ORG } from '../../support/org.js';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.js';

describe.each(STORE_BACKENDS)('Slack answers response_url refused on %s', (kind) => {
  let bot: SlackBot;
  beforeAll(async () => {
    bot = await startSlackBot({ kind, people: STANDARD_ORG });
  });
  afterAll(async () => bot.stop());
  beforeEach(async () => {
    await bot.settle();
    bot.fake.reset();
  });

  it('sends a rate-limited answer as a direct message once the dispatcher runs, and only once', async () => {
    bot.fake.failNext('response', { kind: 'ratelimited', retryAfterSec: 1 });
    const r = await bot.command('UADMIN', 'dept add 门店C');
    expect(r.status).toBe(200);
    expect(r.responses.map((c) => c.answer?.status)).toEqual([429]);
    expect(await bot.dudao.db.prisma.department.count({ where: { name: '门店C' } })).toBe(1);
    expect(
      bot.logs().find((l) => l.msg === 'the answer could not be sent now; queued as a direct message'),
    ).toMatchObject({
      level: 40,
      userId: 'UADMIN',
      dedupeKey: `reply:slack:${r.triggerId}`,
    });

    await bot.settle();
    await bot.settle();
    const posts = bot.fake.acceptedCalls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channel).toBe('DUADMIN');
    expect(textOf(posts[0]!.body)).toContain('门店C');
    const rows = await bot.dudao.db.prisma.outboxMessage.findMany({
      where: { dedupeKey: `reply:slack:${r.triggerId}` },
    });
    expect(rows.map((row) => row.status)).toEqual(['sent']);
  });

  it('sends an answer response_url failed with a 5xx as a direct message', async () => {
    bot.fake.failNext('response', { kind: 'http', status: 503 });
    await bot.command('UBOB', 'help');
    await bot.settle();
    const posts = bot.fake.acceptedCalls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channel).toBe('DUBOB');
  });

  it('queues nothing when response_url refuses for good', async () => {
    bot.fake.failNext('response', { kind: 'http', status: 404 }, 2);
    await bot.command('UBOB', 'help');
    await bot.settle();
    expect(bot.fake.acceptedCalls('chat.postMessage')).toHaveLength(0);
  });
});
