// `eval export` through the real Lark dispatcher (encrypted, signed deliveries) and the outbox: the ack card
// at once, then the file uploaded to im/v1/files and sent to the requester's open_id as msg_type "file"
// after a caption card, opened again cell by cell; refusals that queue and upload nothing; a 429 on the
// upload waited out for x-ogw-ratelimit-reset and the file delivered once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { expectChineseCsv, expectNovemberXlsx, startExportBot } from '../../support/eval-export.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { cardText } from '../../support/feishu-requests.js';

describe.each(STORE_BACKENDS)('Feishu eval export on %s', (kind) => {
  let bot: FeishuBot;
  let cycleId: number;

  beforeEach(async () => {
    ({ bot, cycleId } = await startExportBot(startFeishuBot, kind));
  });
  afterEach(async () => bot.stop());

  const db = () => bot.dudao.db.prisma;
  /** Sends the command; the bot's reply card, as text. */
  const ask = async (openId: string, text: string) => {
    const { messageId } = await bot.say({ openId, text, chatId: `oc_p2p_${openId}` });
    const reply = bot.sent().find((s) => s.via === 'reply' && s.replyTo === messageId);
    if (!reply) throw new Error(`no reply to ${text}`);
    return cardText(reply.card);
  };
  /** What reached a person's DM after the ack: caption cards and files, in order. */
  const dm = (openId: string) =>
    bot.sent().filter((s) => s.via === 'create' && s.receiveIdType === 'open_id' && s.receiveId === openId);
  const fileMessages = (openId: string) => dm(openId).filter((s) => s.msgType === 'file');

  it('acks at once, then sends the caption and the XLSX to HR’s direct message; the cells are the summary’s', async () => {
    expect(await ask('ou_hr', 'eval export 2026-11 xlsx')).toContain(
      'Preparing the export of 2026-11 (XLSX)… I will send you the file in a direct message shortly.',
    );
    await bot.settle();
    const messages = dm('ou_hr');
    expect(messages.map((m) => m.msgType)).toEqual(['interactive', 'file']);
    expect(cardText(messages[0]!.card)).toContain(
      'Evaluation summary 2026-11 (monthly) as XLSX: the summary and one row per member.',
    );
    const file = bot.fake.file(String(messages[1]!.card.file_key))!;
    expect(file).toMatchObject({ fileType: 'xls', fileName: '2026-11.xlsx' });
    // Both sends carry a uuid, so a retry repeats neither.
    expect(messages.every((m) => typeof m.uuid === 'string')).toBe(true);

    const { byName } = await expectNovemberXlsx(file.bytes, db(), cycleId);
    expect(byName.get('李员工')![7]).toBe(80);
    expect(byName.get('Bob Staff')!.slice(0, 3)).toEqual(['Bob Staff', '门店B', 'done']);
  });

  it('answers the Chinese alias in Chinese and sends a CSV as a stream file', async () => {
    expect(await ask('ou_hrzh', '考核 导出 2026-11 csv')).toContain('正在准备 2026-11 的导出文件（CSV）');
    await bot.settle();
    const [message] = fileMessages('ou_hrzh');
    const file = bot.fake.file(String(message!.card.file_key))!;
    expect(file).toMatchObject({ fileType: 'stream', fileName: '2026-11.csv' });
    await expectChineseCsv(file.bytes, db(), cycleId);
    expect(cardText(dm('ou_hrzh')[0]!.card)).toContain('考核汇总 2026-11（月度）CSV 文件');
  });

  it('refuses a member and an unknown cycle clearly, and uploads nothing', async () => {
    expect(await ask('ou_staff', '考核 导出 2026-11')).toContain('只有人事 / 管理员可以执行此操作');
    expect(await ask('ou_hr', 'eval export 2099-01')).toContain('No evaluation cycle 2099-01: nothing was exported.');
    await bot.settle();
    expect(await db().outboxMessage.count({ where: { dedupeKey: { startsWith: 'eval:export:' } } })).toBe(0);
    expect(bot.fake.callsTo('file.create')).toEqual([]);
    expect(fileMessages('ou_staff')).toEqual([]);
  });

  it('waits out a 429 on the upload for x-ogw-ratelimit-reset, then delivers the file once', async () => {
    bot.fake.fail('file.create', { kind: 'rateLimited', resetSeconds: 20 });
    await ask('ou_hr', 'eval export');
    await bot.settle();
    expect(bot.fake.callsTo('file.create').map((c) => c.status)).toEqual([429]);
    expect(dm('ou_hr')).toEqual([]);

    bot.clock.advance(19_000);
    await bot.settle();
    expect(bot.fake.callsTo('file.create')).toHaveLength(1);
    bot.clock.advance(1_000);
    await bot.settle();
    expect(fileMessages('ou_hr')).toHaveLength(1);
    expect(bot.fake.files()).toHaveLength(1);
    bot.clock.advance(3_600_000);
    await bot.settle();
    expect(dm('ou_hr').map((m) => m.msgType)).toEqual(['interactive', 'file']);
    expect(
      await db().outboxMessage.findFirstOrThrow({ where: { dedupeKey: { startsWith: 'eval:export:' } } }),
    ).toMatchObject({ status: 'sent' });
  });

  it('gives up at once when Feishu refuses the upload for good (a missing scope), telling HR in their language', async () => {
    bot.fake.fail('file.create', {
      kind: 'code',
      code: 99991672,
      msg: 'Access denied. One of the following scopes is required: [im:resource]',
      status: 200,
    });
    await ask('ou_hr', 'eval export');
    await bot.settle();
    expect(bot.fake.callsTo('file.create')).toHaveLength(1);
    expect(fileMessages('ou_hr')).toEqual([]);
    const row = await db().outboxMessage.findFirstOrThrow({
      where: { dedupeKey: { startsWith: 'eval:export:' }, NOT: { dedupeKey: { endsWith: ':failed' } } },
    });
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toContain('code 99991672');
    // The notice that the file will not come reached HR.
    expect(dm('ou_hr').some((m) => m.msgType === 'interactive' && /导出|export/i.test(cardText(m.card)))).toBe(true);
  });

  it('does not repeat the caption when its answer was lost: the retry uploads again and Feishu drops the repeat by uuid', async () => {
    await ask('ou_hr', 'eval export 2026-11');
    // Feishu takes the caption but the connection drops before its answer: to the bot, a network error.
    bot.fake.fail('message.create', { kind: 'lostResponse' });
    await bot.settle();
    expect(dm('ou_hr').map((m) => m.msgType)).toEqual(['interactive']);
    expect(fileMessages('ou_hr')).toEqual([]);
    bot.clock.advance(2_000); // the first backoff
    await bot.settle();
    expect(dm('ou_hr').map((m) => m.msgType)).toEqual(['interactive', 'file']);
    expect(bot.fake.callsTo('message.create').filter((c) => c.deduped)).toHaveLength(1);
    expect(bot.fake.callsTo('file.create')).toHaveLength(2);
  });
});
