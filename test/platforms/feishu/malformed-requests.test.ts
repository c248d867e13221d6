// Correctly encrypted and signed deliveries to POST /feishu/events that are not a well-formed event of a
// kind dudao handles: each is answered at once (400 when it is not even an object, 401 when it carries no
// verification token, 200 for an event, which Feishu would otherwise push again for hours) with one warn
// line, nothing is sent or stored, and the bot keeps serving. A body decrypting to `null` used to answer 500.
// Also: an over-long message is answered with a sentence, and mentions cannot make the work unbounded.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeCounts } from '../../support/db.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { cardText, encrypt, messageEvent, post, signer, TEST_ENCRYPT_KEY } from '../../support/feishu-requests.js';
import { deliverAnyJson, MALFORMED_FEISHU } from '../../support/malformed-requests.js';

let bot: FeishuBot;
beforeAll(async () => {
  bot = await startFeishuBot();
});
afterAll(async () => bot.stop());
beforeEach(async () => {
  await bot.settle();
  bot.fake.clearCalls();
});

/** Everything a request could have changed. */
const snapshot = async () => ({ ...(await storeCounts(bot.dudao.db.prisma)), sent: bot.sent().length });

const warnings = () => bot.logs().filter((l) => l.level === 40);
const healthz = () => fetch(`http://127.0.0.1:${bot.dudao.port}/healthz`).then((r) => r.status);

describe('signed Feishu deliveries that are not an event dudao handles', () => {
  it.each(MALFORMED_FEISHU)(
    '$name: answered $status at once, one warn line, nothing done',
    async ({ payload, status }) => {
      const before = await snapshot();
      const warned = warnings().length;
      const started = performance.now();
      const r = await deliverAnyJson(bot.url, bot.clock, payload);
      // The budget is 100 ms (bench/malformed.ts measures it); this only rules out anything slow.
      expect(performance.now() - started).toBeLessThan(1000);
      expect(r.status).toBe(status);
      if (status === 200) expect(r.json).toEqual({});
      await bot.settle();
      expect(await snapshot()).toEqual(before);
      const added = warnings().slice(warned);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ source: 'feishu' });
      expect(await healthz()).toBe(200);
    },
  );

  it('still answers 401 to a delivery decrypting to null whose signature is forged', async () => {
    const raw = JSON.stringify({ encrypt: encrypt(TEST_ENCRYPT_KEY, 'null') });
    const r = await post(bot.url, raw, signer(TEST_ENCRYPT_KEY, bot.clock)(raw, { forged: true }));
    expect(r.status).toBe(401);
  });

  it('still answers a well-formed message after all of them', async () => {
    await bot.say({ openId: 'ou_sup', text: 'help' });
    expect(cardText(bot.sent().at(-1)!.card)).toContain('dudao commands');
    expect(bot.logs().filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('over-long and hostile messages', () => {
  it('answers a message of one very long word with a sentence, in the member’s language', async () => {
    await bot.say({ openId: 'ou_sup', text: 'a'.repeat(500_000) });
    expect(cardText(bot.sent().at(-1)!.card)).toContain(
      'That command is longer than 4000 characters, so it was not read.',
    );
    await bot.say({ openId: 'ou_mgr', text: `状态 ${'长'.repeat(5000)}` });
    expect(cardText(bot.sent().at(-1)!.card)).toContain('该命令超过 4000 个字符，未被读取，也未执行任何操作。');
    expect(await healthz()).toBe(200);
  });

  it('reads a message whose mentions have empty keys, or thousands of them, at once', async () => {
    const event = messageEvent({ openId: 'ou_sup', text: 'help' });
    const message = (event.event as { message: Record<string, unknown> }).message;
    message.mentions = [
      { key: '', id: { open_id: 'ou_x' }, name: 'x' },
      ...Array.from({ length: 5000 }, (_, i) => ({ key: `@_user_${i}`, id: { open_id: `ou_${i}` }, name: `u${i}` })),
    ];
    const started = performance.now();
    const r = await bot.deliver(event);
    expect(r.status).toBe(200);
    await bot.settle();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(cardText(bot.sent().at(-1)!.card)).toContain('dudao commands');
  });
});
