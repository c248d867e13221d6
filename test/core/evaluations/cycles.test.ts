// Evaluation cycles through the core on the in-memory store: monthly and annual cycles end to end (self, supervisor,
// peers, a customer on their behalf, score, review, acknowledgement), invalid answers, the privacy refusals,
// closing that freezes a cycle, and the messages written with each step.
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/create-core.js';
import type { ActorRef } from '../../../src/core/ports.js';
import { type FormView, fieldsOf, type Reply } from '../../../src/core/views/types.js';
import { FixedClock } from '../../support/clock.js';
import { type MemoryEvaluationCore, SLACK_ACTORS, useMemoryEvaluationCore } from '../../support/evaluation-core.js';
import { asForm, inspectWithFinding, textOf } from '../../support/inspections.js';
import { EVAL_ORG } from '../../support/org.js';

const { HR, MGR, STAFF, BOB, ADMIN, SUP } = SLACK_ACTORS;

/** Every score field at `score`, with a comment on the first. */
function answers(form: FormView, score = '4', extra: Record<string, string> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  const scores = fieldsOf(form).filter((f) => f.id.endsWith('_score'));
  for (const f of scores) values[f.id] = score;
  if (scores[0]) values[scores[0].id.replace('_score', '_note')] = 'first comment';
  return { ...values, ...extra };
}

describe('evaluation cycles', () => {
  let { db, repos, people, core } = {} as MemoryEvaluationCore;
  const clock = new FixedClock(); // set to Monday 10:00 in Shanghai before each test
  const { cmd, click, submit, participant } = useMemoryEvaluationCore(
    clock,
    { people: EVAL_ORG, templates: true },
    (env) => ({ db, repos, people, core } = env),
  );
  const outbox = () => db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
  const text = (r: Reply) => textOf(r);
  async function snapshot() {
    return {
      participants: await db.evaluationParticipant.findMany({ orderBy: { id: 'asc' } }),
      submissions: await db.evaluationSubmission.count(),
      outbox: (await outbox()).length,
    };
  }

  it('seeds the default configuration once, as version 1', async () => {
    const built = createCore(repos, {
      profiles: {},
      defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
    });
    await built.evaluations!.ensureDefaultConfig(clock.now());
    expect(await db.evaluationConfigVersion.findMany({ select: { key: true, version: true } })).toEqual([
      { key: 'staff-standard', version: 1 },
    ]);
  });

  it('runs a monthly cycle end to end: open, self, supervisor with the self scores beside, score, review, acknowledge', async () => {
    // Only HR and admins open cycles.
    expect(text(await cmd(STAFF, 'eval open monthly'))).toContain('只有人事 / 管理员可以执行此操作');
    expect(await db.evaluationCycle.count()).toBe(0);

    const opened = await cmd(HR, 'eval open monthly dept 门店A');
    expect(text(opened)).toContain('Opened the monthly evaluation 2026-11 for 2 members (门店A)');
    // Default deadline: the period's last day (Mon 30 Nov) + 5 working days = Mon 7 Dec, 18:00 in HR's zone.
    const cycle = await db.evaluationCycle.findFirstOrThrow();
    expect(cycle).toMatchObject({ kind: 'monthly', name: '2026-11', status: 'open', configVersionId: 1 });
    expect(cycle.deadline.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(cycle.periodStart.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    // The manager's supervisor is the one who opened the cycle (no parent department with a manager).
    const staff = await participant('李员工');
    const mgr = await participant('王经理');
    expect(staff).toMatchObject({ stage: 'self', supervisorId: people.王经理!.id, version: 0 });
    expect(mgr).toMatchObject({ stage: 'self', supervisorId: people['Helen HR']!.id });
    // Each participant has a DM card with the self-evaluation button, written with the cycle.
    const cards = await outbox();
    expect(cards.map((r) => [r.targetId, r.refKey])).toEqual([
      ['UMGR', `eval:${mgr.id}:card:${people.王经理!.id}`],
      ['USTAFF', `eval:${staff.id}:card:${people.李员工!.id}`],
    ]);
    expect(cards[1]!.payload).toContain('填写自评');
    expect(cards[1]!.payload).toContain('"actionId":"eval.self"');
    // The same kind, period and departments again is refused (other departments would join this cycle).
    expect(text(await cmd(HR, 'eval open monthly dept 门店A'))).toContain('A monthly cycle 2026-11 exists already');

    // Someone else cannot open the member's self-evaluation; the member can.
    expect(text(await click(BOB, 'self', staff.id))).toContain('You may not');
    const selfForm = asForm(await click(STAFF, 'self', staff.id));
    expect(selfForm).toMatchObject({ formType: 'eval.self', formId: `${staff.id}:0`, title: '自我评价' });
    expect(fieldsOf(selfForm).filter((f) => f.id.endsWith('_score'))).toHaveLength(11);
    expect(fieldsOf(selfForm)[0]).toMatchObject({
      kind: 'select',
      required: true,
      label: '业务指标完成情况（销售额、利润额、市场份额等）',
    });

    // Missing and invalid answers come back on the fields; nothing is saved.
    await db.outboxMessage.deleteMany();
    const before = await snapshot();
    const bad = await submit(STAFF, selfForm, {
      ...answers(selfForm),
      c0_score: '',
      c1_score: '7',
      c0_note: 'x'.repeat(501),
    });
    expect(bad.kind).toBe('errors');
    if (bad.kind === 'errors') {
      expect(bad.errors).toEqual({
        c0_score: '必填。',
        c1_score: '请选择 1-5 分。',
        c0_note: expect.stringContaining('500'),
      });
      expect(fieldsOf(bad.form).find((f) => f.id === 'c2_score')?.initial).toBe('4');
    }
    expect(await snapshot()).toEqual(before);

    const saved = await submit(STAFF, selfForm, answers(selfForm, '4', { c0_note: '完成了季度目标' }));
    expect(saved.kind === 'done' && saved.message.text).toBe('已保存。考核当前阶段：上级评价中。');
    expect(await participant('李员工')).toMatchObject({ stage: 'supervisor', version: 1 });
    // The same form again is stale; nothing changes.
    expect(await submit(STAFF, selfForm, answers(selfForm))).toMatchObject({ kind: 'refused' });
    expect(await db.evaluationSubmission.count()).toBe(1);
    // The supervisor gets their card (posted) and a notice; the member's card is updated in place.
    const rows = await outbox();
    const toMgr = rows.filter((r) => r.targetId === 'UMGR');
    expect(toMgr.map((r) => [r.refKey, r.updateOnly])).toEqual([
      [null, false],
      [`eval:${staff.id}:card:${people.王经理!.id}`, false],
    ]);
    expect(toMgr[0]!.payload).toContain('李员工 已提交自评（2026-11），请填写上级评价。');
    expect(rows.find((r) => r.targetId === 'USTAFF')).toMatchObject({
      refKey: `eval:${staff.id}:card:${people.李员工!.id}`,
      updateOnly: true,
    });

    // The supervisor's form shows the self scores beside each criterion.
    const supForm = asForm(await click(MGR, 'supervisor', staff.id));
    expect(supForm.formType).toBe('eval.supervisor');
    const c0 = fieldsOf(supForm).find((f) => f.id === 'c0_score')!;
    expect(c0.hint).toBe('自评：4 — 完成了季度目标');
    expect(fieldsOf(supForm).find((f) => f.id === 'c1_score')!.hint).toBe('自评：4');

    // Before the review the member sees no result; an outsider never.
    expect(text(await cmd(STAFF, 'eval result'))).toContain('考核沟通记录后才能查看此内容');
    const done = await submit(MGR, supForm, answers(supForm, '3'));
    expect(done.kind).toBe('done');
    let p = await participant('李员工');
    // 30% self (4 → 80) + 70% supervisor (3 → 60) = 66 on every criterion; no findings, no supervision points.
    expect(p).toMatchObject({ stage: 'review', overallScore: 66, grade: 'C' });
    expect(JSON.parse(p.result!).explanation.length).toBeGreaterThan(10);
    expect(text(await cmd(STAFF, 'eval result'))).toContain('考核沟通记录后才能查看此内容');
    expect(text(await cmd(BOB, 'eval result <@USTAFF>'))).toContain('You are not part of this evaluation.');
    // HR and the supervisor see it.
    expect(text(await cmd(HR, 'eval result <@USTAFF>'))).toContain('Overall score');
    expect(text(await cmd(MGR, 'eval result <@USTAFF>'))).toContain('66.0');

    // The review conversation: both fields are required.
    const reviewForm = asForm(await click(MGR, 'review', staff.id));
    const missing = await submit(MGR, reviewForm, { plan: '加强客户沟通' });
    expect(missing.kind === 'errors' && missing.errors).toEqual({ goals: '必填。' });
    await db.outboxMessage.deleteMany();
    expect((await submit(MGR, reviewForm, { plan: '加强客户沟通', goals: '下月完成 3 个项目' })).kind).toBe('done');
    p = await participant('李员工');
    expect(p).toMatchObject({ stage: 'acknowledge', reviewPlan: '加强客户沟通', nextGoals: '下月完成 3 个项目' });
    const notice = (await outbox()).find((r) => r.targetId === 'USTAFF' && r.refKey === null);
    expect(notice?.payload).toContain('王经理 已记录您的绩效面谈（2026-11），请查看并确认考核结果。');

    // Now the member reads the result with its explanation and review, and acknowledges it.
    const result = await cmd(STAFF, 'eval result');
    expect(text(result)).toContain('综合得分');
    expect(text(result)).toContain('下月完成 3 个项目');
    expect(text(result)).toContain('[确认]');
    expect(text(await click(BOB, 'ack', staff.id))).toContain('You may not');
    expect(text(await click(STAFF, 'ack', staff.id))).toContain('已完成');
    expect(await participant('李员工')).toMatchObject({ stage: 'done', nextReminderAt: null });
    expect(text(await click(STAFF, 'ack', staff.id))).toContain('已完成，不能重复提交');

    // Status by department and stage: HR sees it, the manager their department, members are refused.
    expect(text(await cmd(HR, 'eval status'))).toContain(
      '门店A*: 2 — self-evaluation 1 · supervisor evaluation 0 · review conversation 0 · waiting for acknowledgement 0 · done 1 — 50% done',
    );
    expect(text(await cmd(MGR, '考核 状态 2026-11'))).toContain('门店A');
    expect(text(await cmd(STAFF, 'eval status'))).toContain('只有');
  });

  it('closing a cycle freezes it: every later step is refused with a clear message and changes nothing', async () => {
    await cmd(HR, 'eval open monthly dept 门店A');
    const staff = await participant('李员工');
    const form = asForm(await click(STAFF, 'self', staff.id));
    expect(text(await cmd(STAFF, 'eval close'))).toContain('只有');
    expect(text(await cmd(HR, 'eval close'))).toContain('Closed the monthly evaluation 2026-11');
    expect(await participant('李员工')).toMatchObject({ nextReminderAt: null });
    const before = await snapshot();
    expect(await submit(STAFF, form, answers(form))).toEqual({
      kind: 'refused',
      message: '该考核周期已关闭，不能再做任何更改。',
    });
    expect(text(await click(STAFF, 'self', staff.id))).toContain('该考核周期已关闭');
    expect(text(await cmd(HR, 'eval close 2026-11'))).toContain('closed already');
    expect(await snapshot()).toEqual(before);
  });

  it('closing redraws every card as closed without buttons (updates only) and tells only those who still had a step, in their language', async () => {
    expect(text(await cmd(HR, 'eval open monthly'))).toContain('for 3 members');
    const staff = await participant('李员工');
    const mgr = await participant('王经理');
    const bob = await participant('Bob Staff');
    const selfForm = asForm(await click(STAFF, 'self', staff.id));
    expect((await submit(STAFF, selfForm, answers(selfForm))).kind).toBe('done');
    // The cards so far were delivered (a pending post would be carried over by the update that supersedes it).
    await db.outboxMessage.updateMany({ data: { status: 'sent', sentAt: clock.now() } });
    const before = (await outbox()).length;

    const reply = text(await cmd(ADMIN, 'eval close'));
    expect(reply).toContain('Closed the monthly evaluation 2026-11');
    const added = (await outbox()).slice(before);
    const cards = added.filter((r) => r.refKey !== null);
    const notices = added.filter((r) => r.refKey === null);
    // Every card of every participant (member's and supervisor's), as an update of the card already there, without buttons.
    const expected = [staff, mgr, bob].flatMap((p) =>
      [p.memberId, p.supervisorId].map((id) => `eval:${p.id}:card:${id}`),
    );
    expect(cards.map((r) => r.refKey).sort()).toEqual(expected.sort());
    for (const r of cards) {
      expect(r.updateOnly).toBe(true);
      expect(r.payload).not.toContain('"actionId"');
    }
    expect(cards.find((r) => r.targetId === 'USTAFF')!.payload).toContain('该考核周期已关闭');
    expect(cards.find((r) => r.targetId === 'UBOB')!.payload).toContain('This cycle is closed');
    // Notices only to those with a pending step: the manager (their own self-evaluation and the staff's supervisor
    // evaluation, told once) and Bob; not the staff, who had submitted.
    expect(notices.map((r) => r.targetId).sort()).toEqual(['UBOB', 'UMGR']);
    expect(notices.find((r) => r.targetId === 'UMGR')!.payload).toContain('月度考核 2026-11 已关闭');
    expect(notices.find((r) => r.targetId === 'UBOB')!.payload).toContain(
      'The monthly evaluation 2026-11 has been closed',
    );
    expect(reply).toContain(`${cards.length} cards marked closed; 2 people with a pending step were told`);

    // A second close changes nothing.
    const after = await snapshot();
    expect(text(await cmd(ADMIN, 'eval close 2026-11'))).toContain('closed already');
    expect(await snapshot()).toEqual(after);
  });

  it('runs an annual cycle with peers (nominated, approved, declined) and a customer recorded on their behalf', async () => {
    expect(text(await cmd(HR, 'eval open annual deadline 2027-01-15'))).toContain('for 3 members (all departments)');
    const cycle = await db.evaluationCycle.findFirstOrThrow();
    expect(cycle).toMatchObject({ kind: 'annual', name: '2026' });
    expect(cycle.deadline.toISOString()).toBe('2027-01-15T10:00:00.000Z');
    const staff = await participant('李员工');

    // The member nominates peers; the supervisor gets a card per nomination with approve / decline.
    expect(text(await cmd(STAFF, 'eval peers <@USTAFF>'))).toContain('不能作为您的同事评价人');
    await db.outboxMessage.deleteMany();
    expect(text(await cmd(STAFF, '考核 同事 <@UBOB> <@USUP>'))).toContain('已提名 Bob Staff, Sam Supervisor');
    const nominations = await db.peerNomination.findMany({ orderBy: { id: 'asc' } });
    expect(nominations.map((n) => n.status)).toEqual(['proposed', 'proposed']);
    const cards = (await outbox()).filter((r) => r.targetId === 'UMGR' && r.refKey?.includes(':nom:'));
    expect(cards).toHaveLength(2);
    expect(cards[0]!.payload).toContain('"actionId":"eval.approve"');
    // Only the supervisor decides.
    expect(text(await click(BOB, 'approve', `${staff.id}:${people['Bob Staff']!.id}`))).toContain('You may not');
    expect(text(await click(MGR, 'approve', `${staff.id}:${people['Bob Staff']!.id}`))).toContain('已同意');
    expect(text(await click(MGR, 'decline', `${staff.id}:${people['Sam Supervisor']!.id}`))).toContain('已拒绝');
    expect(text(await click(MGR, 'decline', `${staff.id}:${people['Sam Supervisor']!.id}`))).toContain(
      '表单打开后考核状态已变化',
    );
    // The declined colleague cannot evaluate; the approved one gets a card with the peer form.
    expect(text(await click(SUP, 'peer', staff.id))).toContain('You may not');
    const peerCard = (await outbox()).find((r) => r.refKey === `eval:${staff.id}:peer:${people['Bob Staff']!.id}`);
    expect(peerCard?.payload).toContain('"actionId":"eval.peer"');

    // Self and supervisor.
    const selfForm = asForm(await click(STAFF, 'self', staff.id));
    expect((await submit(STAFF, selfForm, answers(selfForm, '5'))).kind).toBe('done');
    const supForm = asForm(await click(MGR, 'supervisor', staff.id));
    expect((await submit(MGR, supForm, answers(supForm, '4'))).kind).toBe('done');
    // A peer is still to answer: no score yet, and "score now" waits for the deadline.
    expect(await participant('李员工')).toMatchObject({ stage: 'supervisor', overallScore: null });
    expect(text(await click(MGR, 'finalize', staff.id))).toContain('暂时还不能');

    // A customer evaluation: only for customer-facing staff, recorded by the account owner (the supervisor).
    expect(text(await cmd(MGR, 'eval customer <@USTAFF>'))).toContain('考核当前阶段不能');
    expect(text(await cmd(MGR, 'eval customer-facing <@USTAFF> yes'))).toContain('只有');
    expect(text(await cmd(HR, 'eval customer-facing <@USTAFF> yes'))).toContain('is customer-facing in 2026');
    expect(text(await cmd(BOB, 'eval customer <@USTAFF>'))).toContain('You may not');
    const custForm = asForm(await cmd(MGR, 'eval customer <@USTAFF>'));
    expect(fieldsOf(custForm)[0]).toMatchObject({ id: 'customer', required: true });
    // Only criteria asked of customers: satisfaction and communication.
    expect(
      fieldsOf(custForm)
        .filter((f) => f.id.endsWith('_score'))
        .map((f) => f.label),
    ).toEqual(['客户满意度（客户反馈、问卷调查）', '沟通协调能力（团队成员、客户）']);
    const noName = await submit(MGR, custForm, answers(custForm, '5'));
    expect(noName.kind === 'errors' && Object.keys(noName.errors)).toEqual(['customer']);
    expect((await submit(MGR, custForm, answers(custForm, '5', { customer: 'ACME  Ltd' }))).kind).toBe('done');
    // The same customer (however typed) answers once; the service method for the web link says so too.
    expect(await submit(MGR, custForm, answers(custForm, '5', { customer: 'acme ltd' }))).toMatchObject({
      kind: 'refused',
    });
    const svc = createCore(repos, {
      profiles: {},
      defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
    }).evaluations!;
    expect(await svc.recordCustomerSubmission(staff.id, 'Globex', { satisfaction: 9 }, {}, clock.now())).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(
      await svc.recordCustomerSubmission(
        staff.id,
        'Globex',
        { satisfaction: 3, communication: 4 },
        { satisfaction: 'slow answers' },
        clock.now(),
      ),
    ).toEqual({ ok: true });
    const subs = await db.evaluationSubmission.findMany({
      where: { raterKind: 'customer' },
      orderBy: { id: 'asc' },
    });
    expect(subs.map((s) => [s.raterKey, s.raterLabel, s.raterMemberId])).toEqual([
      ['c:name:acme ltd', 'ACME  Ltd', null],
      ['c:name:globex', 'Globex', null],
    ]);

    // The peer's form asks only the criteria peers answer; a peer sees only what they wrote.
    const peerForm = asForm(await click(BOB, 'peer', staff.id));
    expect(fieldsOf(peerForm).filter((f) => f.id.endsWith('_score'))).toHaveLength(5);
    expect(fieldsOf(peerForm).every((f) => !f.hint)).toBe(true);
    expect(text(await cmd(BOB, 'eval result <@USTAFF>'))).toContain('You can see only the evaluation you wrote.');
    // The last approved peer's answer completes the evaluation: scored with every rater kind.
    expect((await submit(BOB, peerForm, answers(peerForm, '3'))).kind).toBe('done');
    const p = await participant('李员工');
    expect(p.stage).toBe('review');
    const result = JSON.parse(p.result!);
    expect(result.explanation[0]).toMatchObject({
      kind: 'raters',
      counts: { self: 1, supervisor: 1, peer: 1, customer: 2 },
      missing: [],
    });
    expect(p.overallScore).toBeGreaterThan(0);
    // No more peers or customers once scored.
    expect(
      await svc.recordCustomerSubmission(staff.id, 'Initech', { satisfaction: 3, communication: 4 }, {}, clock.now()),
    ).toMatchObject({ ok: false, reason: 'wrongStage' });
    // The member's peers and customers stay anonymous even after the review.
    const reviewForm = asForm(await click(MGR, 'review', staff.id));
    expect((await submit(MGR, reviewForm, { plan: 'p', goals: '明年目标' })).kind).toBe('done');
    expect(text(await cmd(STAFF, 'eval result'))).toContain('明年目标');
  });

  it('scores an annual evaluation when the deadline passed with peers still pending (score now), with supervision points', async () => {
    // A finding of high severity in the member's department during the year: −2 points on results.
    await inspectWithFinding(core, SUP, '门店A', clock.now(), { desc: 'Fire exit blocked', sev: 'high' });
    await cmd(HR, 'eval open annual dept 门店A deadline 2026-12-01');
    const staff = await participant('李员工');
    expect(text(await cmd(STAFF, 'eval peers <@UBOB>'))).toContain('已提名');
    expect(text(await click(MGR, 'approve', `${staff.id}:${people['Bob Staff']!.id}`))).toContain('已同意');
    const selfForm = asForm(await click(STAFF, 'self', staff.id));
    await submit(STAFF, selfForm, answers(selfForm, '4'));
    const supForm = asForm(await click(MGR, 'supervisor', staff.id));
    await submit(MGR, supForm, answers(supForm, '4'));
    clock.set('2026-12-02T02:00:00Z');
    expect(text(await click(STAFF, 'finalize', staff.id))).toContain('不能');
    const r = await click(MGR, 'finalize', staff.id);
    expect(text(r)).toContain('待绩效面谈');
    const p = await participant('李员工');
    const result = JSON.parse(p.result!);
    expect(result.explanation[0]).toMatchObject({ missing: ['peer', 'customer'] });
    expect(result.explanation).toContainEqual(
      expect.objectContaining({ kind: 'supervision-rule', rule: 'severity', severity: 'high', points: -2 }),
    );
    expect(result.dimensions[0]).toMatchObject({
      dimensionKey: 'results',
      criteriaScore: 80,
      adjustment: -2,
      score: 78,
    });
    // The peer who did not answer in time cannot any more.
    expect(text(await click(BOB, 'peer', staff.id))).toContain('not possible at this stage');
  });

  it('makes one-time customer links in chat for the supervisor, HR and admins only (eval link / 考核 链接)', async () => {
    const linked = createCore(repos, {
      profiles: {},
      defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
      publicUrl: 'https://dudao.example.com/',
    }).core;
    const say = async (actor: ActorRef, line: string) => {
      const r = await linked.command({ actor, text: line, channelId: 'C-ops', now: clock.now() });
      expect(r).toMatchObject({ kind: 'message', visibility: 'private' });
      return text(r);
    };
    expect(await say(MGR, 'eval link <@USTAFF> "ACME Ltd"')).toContain('不在进行中的年度考核中');
    await cmd(HR, 'eval open annual dept 门店A deadline 2027-01-15');
    // Not customer-facing yet: the link service's own reason, in the reader's language.
    expect(await say(MGR, 'eval link <@USTAFF> "ACME Ltd"')).toContain('该员工在本周期中未标记为面向客户的岗位');
    await cmd(HR, 'eval customer-facing <@USTAFF> yes');
    expect(await say(BOB, 'eval link <@USTAFF> "ACME Ltd"')).toContain('You may not');
    expect(await say(STAFF, 'eval link <@USTAFF> "ACME Ltd"')).toContain('您不能');
    expect(await say(MGR, 'eval link <@USTAFF>')).toContain('考核 链接 @用户 "<客户名称>"');
    expect(await db.customerInvite.count()).toBe(0);

    const mine = await say(MGR, 'eval link <@USTAFF> "ACME Ltd"');
    expect(mine).toMatch(
      /供 ACME Ltd 评价 李员工（2026）的一次性链接，有效期至 .*\nhttps:\/\/dudao\.example\.com\/eval\/c\/[A-Za-z0-9_-]{43}\n/,
    );
    expect(await say(HR, '考核 链接 <@USTAFF> 「环球 公司」')).toContain(
      'One-time link for 环球 公司 to evaluate 李员工 (2026)',
    );
    expect(await say(ADMIN, 'eval link <@USTAFF> Initech')).toContain('https://dudao.example.com/eval/c/');
    const invites = await db.customerInvite.findMany({ orderBy: { id: 'asc' } });
    expect(invites.map((i) => [i.customerName, i.createdById])).toEqual([
      ['ACME Ltd', people.王经理!.id],
      ['环球 公司', people['Helen HR']!.id],
      ['Initech', people['Ada Admin']!.id],
    ]);
    // Without DUDAO_PUBLIC_URL the command says what is missing; once scored, no more links.
    expect(text(await cmd(MGR, 'eval link <@USTAFF> "ACME Ltd"'))).toContain('DUDAO_PUBLIC_URL');
    await db.evaluationParticipant.updateMany({
      where: { memberId: people.李员工!.id },
      data: { stage: 'review' },
    });
    expect(await say(MGR, 'eval link <@USTAFF> Globex')).toContain('考核当前阶段不能');
    expect(await db.customerInvite.count()).toBe(3);
  });

  it('shows HR and admins the cycle summary in chat (eval summary / 考核 汇总), and refuses everyone else', async () => {
    await cmd(HR, 'eval open monthly dept 门店A');
    expect(text(await cmd(STAFF, 'eval summary'))).toContain('只有人事 / 管理员可以执行此操作');
    expect(text(await cmd(MGR, 'eval summary 2026-11'))).toContain('只有人事 / 管理员可以执行此操作');
    const r = await cmd(HR, 'eval summary');
    expect(r).toMatchObject({ kind: 'message', visibility: 'private' });
    expect(text(r)).toContain('Evaluation summary · 2026-11 (monthly)');
    expect(text(r)).toContain('Participants: 2');
    expect(text(r)).toContain('`npx dudao eval export 2026-11 --out 2026-11.xlsx`');
    expect(text(await cmd(ADMIN, '考核 汇总 2026-11'))).toContain('Evaluation summary · 2026-11 (monthly)');
    expect(text(await cmd(HR, 'eval summary 2030-01'))).toContain('No evaluation cycle 2030-01');
  });

  it('lists evaluations waiting for me in `my` and `eval mine`', async () => {
    await cmd(HR, 'eval open monthly dept 门店A');
    const mine = await cmd(STAFF, 'my');
    expect(text(mine)).toContain('待我处理的考核');
    expect(text(mine)).toContain('您的自评（2026-11）');
    expect(text(await cmd(MGR, 'eval mine'))).toContain('您的自评（2026-11）');
    const staff = await participant('李员工');
    const form = asForm(await click(STAFF, 'self', staff.id));
    await submit(STAFF, form, answers(form));
    expect(text(await cmd(MGR, 'eval mine'))).toContain('评价 李员工（2026-11）');
    expect(text(await cmd(STAFF, 'my'))).not.toContain('待我处理的考核');
    expect(text(await cmd(ADMIN, 'help eval'))).toContain('eval open <monthly|annual>');
  });
});
