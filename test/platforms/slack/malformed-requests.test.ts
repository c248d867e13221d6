// Correctly signed requests to POST /slack/events that are not a well-formed payload of a kind dudao handles:
// each is answered at once (400 malformed, 404 nothing handles it, 200 an Events API body acked so Slack
// does not send it again) with one warn line, nothing is posted or stored, and the bot keeps serving. A
// `payload=null` used to end the process; `{}` waited 3 s for a 404. Also: a body over 1 MB is refused
// unread, and a command of hundreds of kilobytes is answered with a sentence, costing no more than a short one.
import { describe, expect, it } from 'vitest';
import { textOf } from '../../support/fake-slack.js';
import { MALFORMED_SLACK } from '../../support/malformed-requests.js';
import { type SlackBot, sharedSlackBot, TEST_SIGNING_SECRET } from '../../support/slack-bot.js';
import { directMessage, FORM_CONTENT_TYPE, post, signedHeaders, slashCommand } from '../../support/slack-requests.js';

let bot: SlackBot;
const { snapshot } = sharedSlackBot((b) => (bot = b));

const warnings = () => bot.logs().filter((l) => l.level === 40);
const healthz = () => fetch(`http://127.0.0.1:${bot.dudao.port}/healthz`).then((r) => r.status);

describe('signed requests that are not a payload dudao handles', () => {
  it.each(MALFORMED_SLACK)('$name: answered $status at once, one warn line, nothing done', async ({ req, status }) => {
    const before = await snapshot();
    const warned = warnings().length;
    const started = performance.now();
    const r = await bot.slack.send(req);
    const ms = performance.now() - started;
    expect(r.status).toBe(status);
    // The budget is 100 ms (bench/malformed.ts measures it); this only rules out waiting for Bolt's 3 s timer.
    expect(ms).toBeLessThan(1000);
    await bot.idle();
    expect(await snapshot()).toEqual(before);
    const added = warnings().slice(warned);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ source: 'slack', status });
    expect(await healthz()).toBe(200);
  });

  it('asks Slack not to send a refused request again', async () => {
    const { req } = MALFORMED_SLACK[0]!;
    const r = await fetch(bot.slack.url, {
      method: 'POST',
      headers: signedHeaders(TEST_SIGNING_SECRET, req),
      body: req.body,
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-slack-no-retry')).toBe('1');
  });

  it('still answers 401 to a malformed body whose signature is forged or stale', async () => {
    const before = await snapshot();
    for (const { req } of MALFORMED_SLACK) {
      expect((await bot.slack.send(req, { secret: 'not-the-signing-secret' })).status).toBe(401);
      expect((await bot.slack.send(req, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    }
    await bot.idle();
    expect(await snapshot()).toEqual(before);
  });

  it('still answers Slack’s unsigned ssl_check, and nothing smuggled with it', async () => {
    const before = await snapshot();
    const r = await post(bot.slack.url, 'ssl_check=1&payload=null&command=%2Fdudao', {
      'content-type': FORM_CONTENT_TYPE,
    });
    expect(r.status).toBe(200);
    await bot.idle();
    expect(await snapshot()).toEqual(before);
  });

  it('answers 405 to anything but POST', async () => {
    expect((await fetch(bot.slack.url)).status).toBe(405);
    expect(await healthz()).toBe(200);
  });

  it('still handles a well-formed command after all of them', async () => {
    const r = await bot.command('USUP', 'help');
    expect(r.status).toBe(200);
    expect(textOf(r.responses[0]!.body)).toContain('dudao commands');
  });
});

describe('over-long commands', () => {
  it('refuses a slash command of one 4 MB word before reading it, and keeps /healthz answering', async () => {
    const req = slashCommand({
      text: 'a'.repeat(4_000_000),
      userId: 'USUP',
      responseUrl: bot.fake.responseUrl('huge'),
    });
    const started = performance.now();
    // 413, or the connection closed while the client was still sending: dudao does not read the rest.
    const status = await bot.slack.send(req).then(
      (r) => r.status,
      () => 'closed',
    );
    expect([413, 'closed']).toContain(status);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await healthz()).toBe(200);
    await bot.idle();
    expect(bot.fake.calls).toEqual([]);
    expect(bot.logs().at(-1)).toMatchObject({ level: 40, source: 'slack', status: 413 });
  });

  it('answers a slash command of one 900 kB word with a sentence, at once, and keeps /healthz answering', async () => {
    const id = 'big';
    const req = slashCommand({ text: 'a'.repeat(900_000), userId: 'USUP', responseUrl: bot.fake.responseUrl(id) });
    const started = performance.now();
    const r = await bot.slack.send(req);
    expect(r.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    const health = performance.now();
    expect(await healthz()).toBe(200);
    expect(performance.now() - health).toBeLessThan(1000);
    await bot.idle();
    const [answer] = bot.fake.responses(id);
    expect(answer!.body.response_type).toBe('ephemeral');
    expect(textOf(answer!.body)).toContain(
      'That command is longer than 4000 characters, so it was not read. Nothing was done. Type `help` to see the commands.',
    );
    expect(await bot.dudao.db.prisma.inspectionDraft.count()).toBe(0);
  });

  it('says so in Chinese to a member who reads Chinese, and takes a command just under the limit as usual', async () => {
    const long = await bot.command('UMGR', `状态 ${'长'.repeat(4001)}`);
    expect(textOf(long.responses[0]!.body)).toContain(
      '该命令超过 4000 个字符，未被读取，也未执行任何操作。输入 `帮助` 查看命令。',
    );
    const atLimit = await bot.command('UMGR', `x${'长'.repeat(3999)}`);
    expect(textOf(atLimit.responses[0]!.body)).toContain('无法识别');
  });

  it('answers an over-long direct message the same way', async () => {
    await bot.slack.send(directMessage({ userId: 'USUP', text: `status ${'x'.repeat(50_000)}` }));
    await bot.idle();
    const [posted] = bot.fake.callsTo('chat.postMessage');
    expect(textOf(posted!.body)).toContain('longer than 4000 characters');
  });
});
