// The checklist end to end through Slack: slash command, modal pages, summary and DM via the outbox.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { textOf } from '../../support/fake-slack.js';
import { STANDARD_ORG } from '../../support/org.js';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.js';
import { modalAnswers as answers, type ModalLike } from '../../support/slack-requests.js';

const PEOPLE = [
  ...STANDARD_ORG,
  { name: '赵督导', slack: 'USUPZH', role: 'supervisor' as const, locale: 'zh-CN' as const },
];

const FINDING = {
  d0i0_score: 'fail',
  d0i0_note: 'two registers unchecked',
  d0i0_desc: '收银流程缺少复核',
  d0i0_impact: '全店',
  d0i0_ev: 'https://example.com/p.jpg',
  d0i0_sev: 'high',
};

describe.each(STORE_BACKENDS)('Slack inspection on %s', (kind) => {
  let bot: SlackBot;
  beforeEach(async () => {
    bot = await startSlackBot({ kind, people: PEOPLE });
  });
  afterEach(async () => bot.stop());

  async function openChecklist(userId = 'USUP', text = 'inspect 门店A'): Promise<ModalLike> {
    const r = await bot.command(userId, text, { channelId: 'C0OPS' });
    expect(r.status).toBe(200);
    expect(r.responses).toEqual([]);
    const opened = bot.fake.callsTo('views.open');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.body.trigger_id).toBe(r.triggerId);
    return opened[0]!.body.view as ModalLike;
  }

  async function submitPage1(page1: ModalLike): Promise<ModalLike> {
    const r = await bot.submit('USUP', page1, answers(page1, FINDING));
    expect(r.status).toBe(200);
    expect(r.json.response_action).toBe('update');
    return r.json.view as ModalLike;
  }

  it('runs /dudao inspect to a saved inspection, a channel summary and a DM to the manager', async () => {
    const page1 = await openChecklist();
    expect(page1.blocks!.length).toBeLessThanOrEqual(100);
    expect(textOf(page1)).toContain('Page 1 of 2');
    expect(textOf(page1)).toContain('1. Business process');
    expect(textOf(page1.title)).toBe('Inspection: 门店A');

    const page2 = await submitPage1(page1);
    expect(JSON.parse(page2.private_metadata!)).toMatchObject({ t: 'inspection', p: 1 });
    expect(page2.blocks!.length).toBeLessThanOrEqual(100);
    expect(textOf(page2)).toContain('Page 2 of 2');
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(0);

    const done = await bot.submit('USUP', page2, answers(page2));
    expect(done.json.response_action).toBe('update');
    expect(textOf(done.json.view)).toMatch(/Inspection #\d+ of 门店A saved: overall 93\.3, 1 finding\(s\)\./);

    await bot.settle();
    const posts = bot.fake.callsTo('chat.postMessage');
    const toChannel = posts.filter((c) => c.channel === 'C0OPS');
    expect(toChannel).toHaveLength(1);
    const summary = toChannel[0]!;
    expect(textOf(summary.body)).toContain('Inspection #');
    expect(textOf(summary.body)).toContain('93.3');
    expect(textOf(summary.body)).toContain('收银流程缺少复核');
    // The DM was posted with the manager's user id; Slack put it in their DM (no conversations.open).
    expect(bot.fake.callsTo('conversations.open')).toHaveLength(0);
    expect(posts.filter((c) => c.channel === 'DUMGR').map((c) => c.body.channel)).toEqual(['UMGR']);
    // The manager reads Chinese, whoever ran the inspection.
    const dm = posts
      .filter((c) => c.channel === 'DUMGR')
      .map((c) => textOf(c.body))
      .join('\n');
    expect(dm).toContain('收银流程缺少复核');
    expect(dm).toContain('检查');
    expect(dm).not.toMatch(/Inspection|finding/);
    expect(posts.every((c) => c.channel === 'C0OPS' || c.channel === 'DUMGR')).toBe(true);

    const db = bot.dudao.db.prisma;
    expect(await db.inspection.count()).toBe(1);
    expect(await db.itemResult.count()).toBe(15);
    const findings = await db.finding.findMany();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      description: '收银流程缺少复核',
      impact: '全店',
      severity: 'high',
      responsibleMemberId: bot.people.王经理!.id,
      status: 'open',
    });
    expect((await db.outboxMessage.findMany()).every((o) => o.status === 'sent')).toBe(true);

    const status = await bot.command('USUP', 'status 门店A');
    expect(textOf(status.responses[0]!.body)).toContain('Status — 门店A');
    expect(textOf(status.responses[0]!.body)).toContain('收银流程缺少复核');
  });

  it('shows the checklist in the supervisor’s language', async () => {
    const page1 = await openChecklist('USUPZH', '检查 门店A');
    expect(textOf(page1.title)).toBe('督导检查：门店A');
    expect(textOf(page1)).toContain('第 1/2 页');
    expect(textOf(page1)).toContain('1. 业务流程规范');
    expect(textOf(page1)).toContain('合格');
  });

  it('returns invalid answers on their fields and saves nothing', async () => {
    const page1 = await openChecklist();
    const draftBefore = await bot.dudao.db.prisma.inspectionDraft.findFirstOrThrow();
    const r = await bot.submit('USUP', page1, { d0i0_score: 'fail', d0i0_desc: '', d0i1_ev: 'not a link' });
    expect(r.status).toBe(200);
    expect(r.json.response_action).toBe('errors');
    const inputIds = new Set(page1.blocks!.filter((b) => b.type === 'input').map((b) => b.block_id));
    for (const id of Object.keys(r.json.errors)) expect(inputIds.has(id)).toBe(true);
    expect(r.json.errors).toMatchObject({
      d0i0_desc: 'Describe the finding for this failed item.',
      d0i1_ev: 'Enter a link starting with http:// or https://.',
      d0i1_score: 'Required.',
    });
    const draftAfter = await bot.dudao.db.prisma.inspectionDraft.findFirstOrThrow();
    expect(draftAfter.page).toBe(0);
    expect(draftAfter.answers).toBe(draftBefore.answers);
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(0);
    expect(await bot.dudao.db.prisma.outboxMessage.count()).toBe(0);
  });

  it('checks the role again when a page is submitted: a supervisor demoted meanwhile saves nothing', async () => {
    const page1 = await openChecklist();
    expect(await bot.command('UADMIN', 'role <@USUP> member')).toMatchObject({ status: 200 });
    const r = await bot.submit('USUP', page1, answers(page1, FINDING));
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.json)).toContain('Only supervisor / admin can do that');
    const draft = await bot.dudao.db.prisma.inspectionDraft.findFirstOrThrow();
    expect([draft.page, draft.status]).toEqual([0, 'open']);
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(0);
  });

  it('saves a double-submitted last page once', async () => {
    const page2 = await submitPage1(await openChecklist());
    const [a, b] = await Promise.all([
      bot.submit('USUP', page2, answers(page2)),
      bot.submit('USUP', page2, answers(page2)),
    ]);
    for (const r of [a, b]) {
      expect(r.status).toBe(200);
      expect(r.json.response_action).toBe('update');
    }
    await bot.settle();
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(1);
    expect(await bot.dudao.db.prisma.itemResult.count()).toBe(15);
    expect(bot.fake.callsTo('chat.postMessage').filter((c) => c.channel === 'C0OPS')).toHaveLength(1);
  });

  it('sends the summary to the supervisor when the bot may not post where the inspection was started', async () => {
    bot.fake.failNext('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
    const page2 = await submitPage1(await openChecklist());
    await bot.submit('USUP', page2, answers(page2));
    await bot.settle();
    await bot.dudao.dispatcher.nudge();
    const posts = bot.fake.callsTo('chat.postMessage');
    expect(posts.filter((c) => c.channel === 'C0OPS')).toHaveLength(1);
    const toSupervisor = posts.filter((c) => c.channel === 'DUSUP');
    expect(toSupervisor).toHaveLength(1);
    expect(textOf(toSupervisor[0]!.body)).toContain('I could not post this summary where the inspection was started');
    expect(textOf(toSupervisor[0]!.body)).toContain('93.3');
    const row = await bot.dudao.db.prisma.outboxMessage.findFirstOrThrow({
      where: { dedupeKey: { endsWith: ':summary' } },
    });
    expect(row).toMatchObject({ status: 'sent', targetKind: 'user', targetId: 'USUP', fallback: null });
  });

  it('keeps a rate-limited summary in the outbox until Retry-After has passed, then sends it once', async () => {
    bot.fake.failNext('chat.postMessage', { kind: 'ratelimited', retryAfterSec: 30 });
    const page2 = await submitPage1(await openChecklist());
    await bot.submit('USUP', page2, answers(page2));
    await bot.settle();
    const toChannel = () => bot.fake.callsTo('chat.postMessage').filter((c) => c.channel === 'C0OPS');
    expect(toChannel()).toHaveLength(1);
    const row = await bot.dudao.db.prisma.outboxMessage.findFirstOrThrow({ where: { targetKind: 'channel' } });
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row.nextAttemptAt.getTime()).toBe(bot.clock.now().getTime() + 30_000);
    expect(row.lastError).toMatch(/rate limited/);
    // The manager's DM was not held up by the channel's rate limit.
    expect(bot.fake.callsTo('chat.postMessage').filter((c) => c.channel === 'DUMGR')).toHaveLength(1);

    bot.clock.advance(29_000);
    await bot.dudao.dispatcher.nudge();
    expect(toChannel()).toHaveLength(1);

    bot.clock.advance(1_000);
    await bot.dudao.dispatcher.nudge();
    await bot.dudao.dispatcher.nudge();
    expect(toChannel()).toHaveLength(2);
    expect(textOf(toChannel()[1]!.body)).toContain('93.3');
    expect(
      await bot.dudao.db.prisma.outboxMessage.findFirstOrThrow({ where: { targetKind: 'channel' } }),
    ).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
