// Reminders end to end through Slack: sweeps (the scheduler's runNow and `/dudao remind now`) queue one
// digest per person in their language, only in working hours; the outbox delivers each exactly once through
// Slack's 429s and 5xx; repeated sweeps add nothing.
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../support/clock.js';
import { STORE_BACKENDS } from '../../support/db.js';
import { textOf } from '../../support/fake-slack.js';
import { STANDARD_ORG } from '../../support/org.js';
import { ephemeralAnswer, type SlackBot, startSlackBot } from '../../support/slack-bot.js';
import { buttonLabels, clickButton, inspectViaSlack, openStep } from '../../support/slack-findings.js';

const SH = 'Asia/Shanghai';
/** A wall-clock time in Shanghai, e.g. sh('2026-11-25 09:05'). */
const sh = (wallClock: string) => DateTime.fromFormat(wallClock, 'yyyy-MM-dd HH:mm', { zone: SH }).toJSDate();

describe.each(STORE_BACKENDS)('Slack reminders on %s', (kind) => {
  let bot: SlackBot | undefined;
  let clock: FixedClock;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  /**
   * Monday 2026-11-23 10:00 in Shanghai: one inspection of 门店A with two findings for its manager (plans due
   * Wednesday, two working days on), and with `bob` one of 门店B for Bob (English).
   */
  async function start(o: { bob?: boolean; keepCalls?: boolean } = {}): Promise<SlackBot> {
    clock = new FixedClock(sh('2026-11-23 10:00'));
    const b = await startSlackBot({ kind, people: STANDARD_ORG, clock, env: { DUDAO_REMINDER_CRON: 'off' } });
    bot = b;
    await inspectViaSlack(b, 'USUP', '门店A', [
      { item: 'd0i0', desc: 'Fire exit blocked' },
      { item: 'd0i1', desc: 'Till left unattended' },
    ]);
    if (o.bob)
      await inspectViaSlack(b, 'USUP', '门店B', [
        { item: 'd0i0', desc: 'Freezer seal broken', owner: b.people['Bob Staff']!.id },
      ]);
    expect(await b.dudao.db.prisma.finding.count()).toBe(o.bob ? 3 : 2);
    // The cards and summaries are out; from here on only reminders should reach Slack.
    expect(await b.dudao.db.prisma.outboxMessage.count({ where: { status: 'pending' } })).toBe(0);
    if (!o.keepCalls) b.fake.reset();
    return b;
  }

  const sweep = (b: SlackBot) => b.dudao.reminders.runNow(clock.now());
  const digestRows = (b: SlackBot) =>
    b.dudao.db.prisma.outboxMessage.findMany({
      where: { dedupeKey: { startsWith: 'digest:' } },
      orderBy: { id: 'asc' },
    });
  const findingIds = async (b: SlackBot, owner: string) =>
    (
      await b.dudao.db.prisma.finding.findMany({
        where: { responsibleMemberId: b.people[owner]!.id },
        orderBy: { id: 'asc' },
      })
    ).map((f) => f.id);

  const reply = ephemeralAnswer;

  it('sends one digest per person listing all their due items, in their language', async () => {
    const b = await start({ bob: true });
    const [first, second] = await findingIds(b, '王经理');
    const [bobs] = await findingIds(b, 'Bob Staff');

    // Tuesday: nothing is due yet.
    clock.set(sh('2026-11-24 10:00'));
    expect(await sweep(b)).toMatchObject({ reminders: 0, digests: 0 });
    // Wednesday 09:05: the plans are due.
    clock.set(sh('2026-11-25 09:05'));
    expect(await sweep(b)).toMatchObject({ reminders: 3, digests: 2 });
    await b.settle();

    const posts = b.fake.acceptedCalls('chat.postMessage');
    expect(posts.map((c) => c.channel).sort()).toEqual(['DUBOB', 'DUMGR']);
    const manager = textOf(posts.find((c) => c.channel === 'DUMGR')!.body);
    expect(manager).toContain('整改提醒（2）');
    expect(manager).toContain(`#${first}`);
    expect(manager).toContain(`#${second}`);
    expect(manager).toContain('Fire exit blocked');
    expect(manager).toContain('Till left unattended');
    // One line per finding (the blocks; the notification text repeats the first).
    expect(
      textOf(posts.find((c) => c.channel === 'DUMGR')!.body.blocks).match(/整改计划须在 2026-11-25 前提交/g),
    ).toHaveLength(2);
    expect(manager).not.toContain('Reminders');
    const managerDigest = posts.find((c) => c.channel === 'DUMGR')!;
    expect(buttonLabels(managerDigest)).toEqual([`#${first} 提交整改计划`, `#${second} 提交整改计划`]);

    const bob = textOf(posts.find((c) => c.channel === 'DUBOB')!.body);
    expect(bob).toContain('Reminders (1)');
    expect(bob).toContain(`#${bobs}`);
    expect(bob).toContain('rectification plan due 2026-11-25');
    expect(bob).not.toMatch(/整改|提醒/);

    const db = b.dudao.db.prisma;
    expect((await digestRows(b)).map((r) => [r.targetId, r.status])).toEqual([
      ['UMGR', 'sent'],
      ['UBOB', 'sent'],
    ]);
    expect(await db.reminderLog.count()).toBe(3);
    expect((await db.finding.findMany({ orderBy: { id: 'asc' } })).map((f) => f.reminderCount)).toEqual([1, 1, 1]);

    // The digest's button leads to the step it reminds of.
    const click = await clickButton(
      b,
      'UMGR',
      (managerDigest.body.blocks as any[]).find((x) => x.type === 'actions').elements[1],
    );
    expect(click.modal).toBeDefined();
    expect(JSON.parse(click.modal!.private_metadata!)).toMatchObject({ t: 'finding.plan', id: `${second}:0` });
  });

  it('delivers a digest exactly once through a 429 and a 500, however often sweeps run', async () => {
    const b = await start();
    const db = b.dudao.db.prisma;
    const nudge = () => b.dudao.dispatcher.nudge();
    const attempts = () => b.fake.callsTo('chat.postMessage');
    b.fake.failNext('chat.postMessage', { kind: 'ratelimited', retryAfterSec: 30 });
    b.fake.failNext('chat.postMessage', { kind: 'http', status: 500 });

    clock.set(sh('2026-11-25 09:05'));
    expect(await sweep(b)).toMatchObject({ reminders: 2, digests: 1 });
    await nudge();
    expect(attempts().map((c) => [c.channel, c.answer?.status])).toEqual([['DUMGR', 429]]);
    let [row] = await digestRows(b);
    expect(row).toMatchObject({ status: 'pending', attempts: 0, targetId: 'UMGR' });
    expect(row!.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 30_000);
    expect(row!.lastError).toMatch(/rate limited/);
    // A sweep while the digest waits claims nothing again.
    expect(await sweep(b)).toMatchObject({ reminders: 0, digests: 0 });

    // Retry-After is respected to the second.
    clock.advance(29_000);
    await nudge();
    expect(attempts()).toHaveLength(1);
    clock.advance(1_000);
    await nudge();
    expect(attempts().map((c) => c.answer?.status)).toEqual([429, 500]);
    [row] = await digestRows(b);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toMatch(/500/);
    const retryAt = row!.nextAttemptAt.getTime();
    expect(retryAt).toBeGreaterThan(clock.now().getTime());

    // An admin's `remind now` meanwhile finds nothing new to send.
    expect(await reply(b, 'UADMIN', 'remind now')).toContain(
      'Reminder sweep done: 0 reminder(s) in 0 message(s) queued.',
    );
    await b.settle();
    expect(attempts()).toHaveLength(2);

    clock.set(new Date(retryAt));
    await nudge();
    expect(attempts().map((c) => c.answer?.status)).toEqual([429, 500, 200]);
    [row] = await digestRows(b);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    // Every attempt carried the same digest, with both findings.
    expect(new Set(attempts().map((c) => JSON.stringify(c.body.blocks))).size).toBe(1);
    expect(textOf(attempts()[2]!.body)).toContain('整改提醒（2）');

    // Later sweeps that day, and more `remind now`, add no digest.
    for (const at of ['2026-11-25 15:00', '2026-11-25 17:30']) {
      clock.set(sh(at));
      expect(await sweep(b)).toMatchObject({ reminders: 0, digests: 0 });
      expect(await reply(b, 'UADMIN', 'remind now')).toContain('0 reminder(s)');
      await b.settle();
      await nudge();
    }
    expect(b.fake.acceptedCalls('chat.postMessage')).toHaveLength(1);
    expect(attempts()).toHaveLength(3);
    // The next morning the plans are late: one new digest, once, however often sweeps run.
    clock.set(sh('2026-11-26 09:05'));
    expect(await sweep(b)).toMatchObject({ reminders: 2, digests: 1 });
    expect(await sweep(b)).toMatchObject({ reminders: 0, digests: 0 });
    expect(await reply(b, 'UADMIN', 'remind now')).toContain('0 reminder(s)');
    await b.settle();
    await nudge();
    expect(b.fake.acceptedCalls('chat.postMessage')).toHaveLength(2);
    expect(textOf(b.fake.acceptedCalls('chat.postMessage')[1]!.body)).toContain('整改计划已逾期 1 个工作日未提交');
    expect(await digestRows(b)).toHaveLength(2);
    expect(await db.reminderLog.count()).toBe(4);
    expect((await db.finding.findMany()).map((f) => f.reminderCount)).toEqual([2, 2]);
  });

  it('sends nothing outside working hours, and the next morning’s sweep does', async () => {
    const b = await start();
    const db = b.dudao.db.prisma;
    // Wednesday 20:00 in Shanghai: the plans are due, but the owner's working day is over.
    clock.set(sh('2026-11-25 20:00'));
    expect(await sweep(b)).toMatchObject({ reminders: 0, digests: 0 });
    expect(await reply(b, 'UADMIN', 'remind now')).toContain(
      'Reminder sweep done: 0 reminder(s) in 0 message(s) queued.',
    );
    // Thursday 08:30: not yet.
    clock.set(sh('2026-11-26 08:30'));
    expect(await sweep(b)).toMatchObject({ reminders: 0, digests: 0 });
    await b.settle();
    expect(b.fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await db.reminderLog.count()).toBe(0);
    expect(await digestRows(b)).toHaveLength(0);

    clock.set(sh('2026-11-26 09:05'));
    expect(await sweep(b)).toMatchObject({ reminders: 2, digests: 1 });
    await b.settle();
    const posts = b.fake.acceptedCalls('chat.postMessage');
    expect(posts.map((c) => c.channel)).toEqual(['DUMGR']);
    // The plans were due on Wednesday: on Thursday morning they are late.
    expect(textOf(posts[0]!.body)).toContain('整改计划已逾期 1 个工作日未提交（应于 2026-11-25 前提交）');
    expect((await digestRows(b)).map((r) => r.status)).toEqual(['sent']);
  });

  it('reminds each person at 09:00 in their own zone: the supervisor in London waits for London’s morning', async () => {
    const b = await start({ keepCalls: true });
    const [first, second] = await findingIds(b, '王经理');
    // Monday: the manager plans the first finding and submits it for acceptance at once.
    const plan = await openStep(b, 'UMGR', first!, 'plan');
    expect(
      textOf((await b.submit('UMGR', plan, { measures: '清理消防通道', deadline: '2026-11-30' })).json.view),
    ).toContain('已保存');
    await b.settle();
    const submit = await openStep(b, 'UMGR', first!, 'submit');
    expect(textOf((await b.submit('UMGR', submit, { done: '已清理' })).json.view)).toContain('待验收');
    await b.settle();
    b.fake.reset();

    // Wednesday 09:05 in Shanghai is 01:05 in London: only the manager's plan reminder (the second finding).
    clock.set(sh('2026-11-25 09:05'));
    expect(await sweep(b)).toMatchObject({ reminders: 1, digests: 1 });
    await b.settle();
    const morning = b.fake.acceptedCalls('chat.postMessage');
    expect(morning.map((c) => c.channel)).toEqual(['DUMGR']);
    expect(textOf(morning[0]!.body.blocks)).toContain(`#${second}`);
    expect(textOf(morning[0]!.body.blocks)).not.toContain(`#${first}`);

    // 17:05 in Shanghai is 09:05 in London: the supervisor hears, in English, that the acceptance waits.
    clock.set(sh('2026-11-25 17:05'));
    expect(await sweep(b)).toMatchObject({ reminders: 1, digests: 1 });
    await b.settle();
    const toSup = b.fake.acceptedCalls('chat.postMessage').filter((c) => c.channel === 'DUSUP');
    expect(toSup).toHaveLength(1);
    const text = textOf(toSup[0]!.body.blocks);
    expect(text).toContain('Reminders (1)');
    expect(text).toContain(`#${first}`);
    expect(text).toContain('waiting for your acceptance check for 2 working day(s)');
    expect(buttonLabels(toSup[0]!)).toEqual([`#${first} Accept`]);
    // Its button opens the acceptance modal.
    const click = await clickButton(
      b,
      'USUP',
      (toSup[0]!.body.blocks as any[]).find((x) => x.type === 'actions').elements[0],
    );
    expect(JSON.parse(click.modal!.private_metadata!)).toMatchObject({ t: 'finding.accept', id: `${first}:2` });
  });

  it('runs `remind now` for admins only', async () => {
    const b = await start();
    clock.set(sh('2026-11-25 09:05'));
    expect(await reply(b, 'USUP', 'remind now')).toContain('Only admin can do that');
    expect(await reply(b, 'UMGR', '提醒 立即')).toContain('只有管理员可以执行此操作');
    await b.settle();
    expect(await b.dudao.db.prisma.reminderLog.count()).toBe(0);
    expect(b.fake.callsTo('chat.postMessage')).toHaveLength(0);

    expect(await reply(b, 'UADMIN', 'remind now')).toContain(
      'Reminder sweep done: 2 reminder(s) in 1 message(s) queued.',
    );
    await b.settle();
    expect(b.fake.acceptedCalls('chat.postMessage').map((c) => c.channel)).toEqual(['DUMGR']);
    expect(await reply(b, 'UADMIN', 'remind now')).toContain(
      'Reminder sweep done: 0 reminder(s) in 0 message(s) queued.',
    );
    await b.settle();
    expect(b.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect((await digestRows(b)).map((r) => r.status)).toEqual(['sent']);
  });
});
