// `eval export` through the real Bolt app (signed slash commands) and the outbox: the ack at once, then the
// file uploaded the files.uploadV2 way into the requester's DM (conversations.open, upload_url,
// completeUploadExternal) and opened again cell by cell; refusals that queue and upload nothing; a 429 on the
// upload waited out for Retry-After and the file delivered once; a permanent refusal told to the requester.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { expectChineseCsv, expectNovemberXlsx, startExportBot } from '../../support/eval-export.js';
import { textOf } from '../../support/fake-slack.js';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.js';

describe.each(STORE_BACKENDS)('Slack eval export on %s', (kind) => {
  let bot: SlackBot;
  let cycleId: number;

  beforeEach(async () => {
    ({ bot, cycleId } = await startExportBot(startSlackBot, kind));
  });
  afterEach(async () => bot.stop());

  const db = () => bot.dudao.db.prisma;
  const ack = async (userId: string, text: string) => {
    const r = await bot.command(userId, text);
    expect(r.status).toBe(200);
    expect(r.responses[0]!.body.response_type).toBe('ephemeral');
    return textOf(r.responses[0]!.body);
  };
  const jobRows = () =>
    db().outboxMessage.findMany({ where: { dedupeKey: { startsWith: 'eval:export:' } }, orderBy: { id: 'asc' } });

  it('acks at once, then uploads the XLSX to HR’s direct message with a one-line caption; the cells are the summary’s', async () => {
    expect(await ack('UHR', 'eval export 2026-11')).toContain(
      'Preparing the export of 2026-11 (XLSX)… I will send you the file in a direct message shortly.',
    );
    await bot.settle();

    // Slack's completeUploadExternal takes a conversation, not a user: the DM was opened first.
    expect(bot.fake.callsTo('conversations.open').map((c) => c.body.users)).toEqual(['UHR']);
    const files = bot.fake.sharedFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      channel: 'DUHR',
      filename: '2026-11.xlsx',
      title: 'Evaluation summary · 2026-11 (monthly)',
    });
    expect(files[0]!.initialComment).toBe(
      'Evaluation summary 2026-11 (monthly) as XLSX: the summary and one row per member.',
    );

    const { xlsx, byName } = await expectNovemberXlsx(files[0]!.bytes, db(), cycleId);
    expect(xlsx.summaryA1).toBe('Evaluation summary · 2026-11 (monthly)');
    expect(byName.get('李员工')!.slice(0, 3)).toEqual(['李员工', '门店A', 'done']);
    expect(byName.get('李员工')![7]).toBe(80);
    expect(byName.get('Bob Staff')![7]).toBe(40);
    expect(byName.get('王经理')!.slice(2, 8)).toEqual(['supervisor evaluation', null, null, null, null, null]);

    // The outbox row held the request, not the bytes, and is done.
    const [row] = await jobRows();
    expect(row).toMatchObject({ status: 'sent', targetKind: 'user', targetId: 'UHR' });
    expect(JSON.parse(row!.payload).job).toMatchObject({
      kind: 'eval.export',
      params: { cycleId, format: 'xlsx', locale: 'en' },
    });
    expect(row!.payload.length).toBeLessThan(1000);
  });

  it('answers the Chinese alias in Chinese and sends a CSV', async () => {
    expect(await ack('UHRZH', '考核 导出 csv 2026-11')).toContain(
      '正在准备 2026-11 的导出文件（CSV）……稍后通过私信发送给您。',
    );
    await bot.settle();
    const [file] = bot.fake.sharedFiles();
    expect(file).toMatchObject({
      channel: 'DUHRZH',
      filename: '2026-11.csv',
      initialComment: '考核汇总 2026-11（月度）CSV 文件：包含汇总及每位员工一行的明细。',
    });
    const rows = await expectChineseCsv(file!.bytes, db(), cycleId);
    expect(rows.find((r) => r[0] === '李员工')!.slice(0, 3)).toEqual(['李员工', '门店A', '已完成']);
  });

  it('refuses a member and an unknown cycle clearly, and queues and uploads nothing', async () => {
    expect(await ack('UBOB', 'eval export 2026-11')).toContain(
      'Only HR / admin can do that. Ask an admin if you need access.',
    );
    expect(await ack('USTAFF', '考核 导出')).toContain('只有人事 / 管理员可以执行此操作');
    expect(await ack('UHR', 'eval export 2099-01 xlsx')).toContain(
      'No evaluation cycle 2099-01: nothing was exported.',
    );
    expect(await ack('UHRZH', '考核 导出 2099-01')).toContain('没有考核周期 2099-01，未导出任何内容。');
    await bot.settle();
    expect(await jobRows()).toEqual([]);
    expect(bot.fake.callsTo('files.getUploadURLExternal')).toEqual([]);
    expect(bot.fake.sharedFiles()).toEqual([]);
  });

  it('waits out a 429 on the upload for its Retry-After, then delivers the file once', async () => {
    bot.fake.failNext('files.completeUploadExternal', { kind: 'ratelimited', retryAfterSec: 30 });
    await ack('UHR', 'eval export');
    await bot.settle();
    expect(bot.fake.sharedFiles()).toEqual([]);
    const [waiting] = await jobRows();
    expect(waiting).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(bot.clock.now().getTime() + 30_000),
    });

    bot.clock.advance(29_000);
    await bot.settle();
    expect(bot.fake.callsTo('files.completeUploadExternal')).toHaveLength(1);
    bot.clock.advance(1_000);
    await bot.settle();
    expect(bot.fake.sharedFiles()).toHaveLength(1);
    expect(bot.fake.sharedFiles()[0]!.channel).toBe('DUHR');
    expect(bot.fake.acceptedCalls('files.completeUploadExternal')).toHaveLength(1);
    expect((await jobRows())[0]).toMatchObject({ status: 'sent' });
    bot.clock.advance(3_600_000);
    await bot.settle();
    expect(bot.fake.sharedFiles()).toHaveLength(1);
    // The default (newest open) cycle was exported.
    expect(bot.fake.sharedFiles()[0]!.filename).toBe('2026-11.xlsx');
  });

  it('retries the upload_url itself: a 503 after backoff, a 429 after its Retry-After, the file shared once', async () => {
    bot.fake.failNext('upload', { kind: 'http', status: 503 });
    bot.fake.failNext('upload', { kind: 'ratelimited', retryAfterSec: 5 });
    await ack('UHR', 'eval export 2026-11 csv');
    await bot.settle();
    expect(bot.fake.callsTo('upload').map((c) => c.answer?.status)).toEqual([503]);
    bot.clock.advance(2_000); // the first backoff
    await bot.settle();
    expect(bot.fake.callsTo('upload').map((c) => c.answer?.status)).toEqual([503, 429]);
    bot.clock.advance(5_000);
    await bot.settle();
    expect(bot.fake.callsTo('upload').map((c) => c.answer?.status)).toEqual([503, 429, 200]);
    expect(bot.fake.sharedFiles().map((f) => f.filename)).toEqual(['2026-11.csv']);
  });

  it('tells the requester in their language when the upload is refused for good', async () => {
    bot.fake.failNext('files.getUploadURLExternal', { kind: 'error', error: 'invalid_arguments' });
    await ack('UHRZH', '考核 导出 2026-11');
    await bot.settle();
    expect(bot.fake.sharedFiles()).toEqual([]);
    expect((await jobRows()).map((r) => [r.status, r.lastError])).toEqual([
      ['failed', 'files.uploadV2: invalid_arguments'],
      ['sent', null],
    ]);
    const told = bot.fake.acceptedCalls('chat.postMessage').filter((c) => c.body.channel === 'UHRZH');
    expect(told.map((c) => c.body.text)).toEqual([
      '抱歉，您请求的 2026-11 导出文件（XLSX）多次尝试后仍未能发送。请稍后重新发送 `考核 导出 2026-11`。',
    ]);
  });
});
