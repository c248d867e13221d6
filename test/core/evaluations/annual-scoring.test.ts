// When an annual evaluation is scored, through the core on the in-memory store with a fixed clock: not while a
// nomination waits for the supervisor's decision, an approved peer has not answered, or (customer-facing
// members) no customer answered, unless the deadline passed and someone presses "Score now"; an answer landing
// while the last step is scored is counted; one answer per customer, by name, whether recorded in chat or
// through a link. The supervisor and the last peer submitting at the same moment score it exactly once on the
// databases (test/store/step-races.test.ts).
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/create-core.js';
import { EvaluationReminderPlanner } from '../../../src/core/evaluations/cycles/reminders.js';
import { pendingOwners } from '../../../src/core/evaluations/cycles/rules.js';
import type { ActorRef } from '../../../src/core/ports.js';
import { type FormView, fieldsOf, type Reply } from '../../../src/core/views/types.js';
import { FixedClock } from '../../support/clock.js';
import { type MemoryEvaluationCore, useMemoryEvaluationCore } from '../../support/evaluation-core.js';
import { asForm, textOf } from '../../support/inspections.js';
import { EVAL_ORG } from '../../support/org.js';

/** Every score field at `score`. */
const answers = (form: FormView, score = '4', extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(
    fieldsOf(form)
      .filter((f) => f.id.endsWith('_score'))
      .map((f) => [f.id, score]),
  ),
  ...extra,
});

const slack = (userId: string): ActorRef => ({ platform: 'slack', userId });
const HR = slack('UHR');
const MGR = slack('UMGR');
const STAFF = slack('USTAFF');
const BOB = slack('UBOB');

describe('when annual evaluations are scored', () => {
  let { db, repos, people, core } = {} as MemoryEvaluationCore;
  const clock = new FixedClock(); // set to Monday 10:00 in Shanghai before each test
  const {
    cmd,
    click,
    submit,
    participant: latestParticipation,
  } = useMemoryEvaluationCore(clock, { people: EVAL_ORG }, (env) => ({ db, repos, people, core } = env));
  const text = (r: Reply) => textOf(r);
  const participant = (name = '李员工') => latestParticipation(name);
  const pair = (peer: string) => `${people[peer]!.id}`;

  async function selfAndSupervisor(pid: number) {
    const selfForm = asForm(await click(STAFF, 'self', pid));
    expect((await submit(STAFF, selfForm, answers(selfForm, '5'))).kind).toBe('done');
    const supForm = asForm(await click(MGR, 'supervisor', pid));
    return submit(MGR, supForm, answers(supForm, '4'));
  }

  it('waits for undecided nominations and approved peers; `eval mine` lists decisions only while they can be taken', async () => {
    await cmd(HR, 'eval open annual dept 门店A deadline 2026-12-01');
    const staff = await participant();
    expect(text(await cmd(STAFF, 'eval peers <@UBOB> <@USUP>'))).toContain('已提名');
    expect(await selfAndSupervisor(staff.id)).toMatchObject({
      kind: 'done',
      message: { text: expect.stringContaining('上级评价中') },
    });
    // Two nominations wait for the supervisor: no score, and approving is still possible.
    expect(await participant()).toMatchObject({ stage: 'supervisor', overallScore: null });
    expect(text(await cmd(MGR, 'eval mine'))).toContain('待审批 李员工 的同事提名（2026）');
    expect(text(await click(MGR, 'approve', `${staff.id}:${pair('Bob Staff')}`))).toContain('已同意');
    expect(text(await click(MGR, 'decline', `${staff.id}:${pair('Sam Supervisor')}`))).toContain('已拒绝');
    // Bob, approved, has yet to answer.
    expect(await participant()).toMatchObject({ stage: 'supervisor', overallScore: null });
    const peerForm = asForm(await click(BOB, 'peer', staff.id));
    expect(await submit(BOB, peerForm, answers(peerForm, '3'))).toMatchObject({
      kind: 'done',
      message: { text: expect.stringContaining('review conversation') },
    });
    const p = await participant();
    expect(p).toMatchObject({ stage: 'review' });
    expect(JSON.parse(p.result!).explanation[0]).toMatchObject({
      counts: { self: 1, supervisor: 1, peer: 1 },
      missing: ['customer'],
    });
  });

  it('past the deadline, "Score now" scores with a nomination still undecided, which then leaves `eval mine`', async () => {
    await cmd(HR, 'eval open annual dept 门店A deadline 2026-12-01');
    const staff = await participant();
    expect(text(await cmd(STAFF, 'eval peers <@UBOB>'))).toContain('已提名');
    await selfAndSupervisor(staff.id);
    expect(await participant()).toMatchObject({ stage: 'supervisor' });
    expect(text(await click(MGR, 'finalize', staff.id))).toContain('暂时还不能');
    clock.set('2026-12-02T02:00:00Z');
    expect(text(await cmd(MGR, 'eval mine'))).toContain('待审批 李员工 的同事提名（2026）');
    expect(text(await click(MGR, 'finalize', staff.id))).toContain('待绩效面谈');
    expect(await participant()).toMatchObject({ stage: 'review' });
    // The nomination can no longer be decided, and nobody is asked to.
    expect(text(await click(MGR, 'approve', `${staff.id}:${pair('Bob Staff')}`))).toContain('考核当前阶段不能');
    expect(text(await cmd(MGR, 'eval mine'))).not.toContain('待审批 李员工 的同事提名');
    expect((await repos.evaluations.pendingFor(people.王经理!.id)).toDecide).toEqual([]);
  });

  it('waits for a customer answer for a customer-facing member; turning customer-facing off scores at once', async () => {
    await cmd(HR, 'eval open annual dept 门店A deadline 2026-12-01');
    const staff = await participant();
    await cmd(HR, 'eval customer-facing <@USTAFF> yes');
    await selfAndSupervisor(staff.id);
    // No peers, but no customer answered yet.
    expect(await participant()).toMatchObject({ stage: 'supervisor', overallScore: null });
    const custForm = asForm(await cmd(MGR, 'eval customer <@USTAFF>'));
    expect(await submit(MGR, custForm, answers(custForm, '5', { customer: 'ACME Ltd' }))).toMatchObject({
      kind: 'done',
      message: { text: expect.stringContaining('待绩效面谈') },
    });
    expect(JSON.parse((await participant()).result!).explanation[0]).toMatchObject({ counts: { customer: 1 } });

    // Another member, customer-facing, whose customers never answer: HR turns it off and the score follows.
    await db.evaluationParticipant.update({
      where: { id: staff.id },
      data: { stage: 'supervisor', result: null, overallScore: null, grade: null },
    });
    await db.evaluationSubmission.deleteMany({ where: { participantId: staff.id, raterKind: 'customer' } });
    expect(await participant()).toMatchObject({ stage: 'supervisor' });
    expect(text(await cmd(HR, 'eval customer-facing <@USTAFF> no'))).toContain('not customer-facing');
    expect(await participant()).toMatchObject({ stage: 'review', overallScore: expect.any(Number) });
  });

  it('asks the supervisor for what the score waits for: a customer answer, then "Score now" once the deadline has passed', async () => {
    await cmd(HR, 'eval open annual dept 门店A deadline 2026-12-01');
    const staff = await participant();
    await cmd(HR, 'eval customer-facing <@USTAFF> yes');
    await selfAndSupervisor(staff.id);
    const owed = async (now: Date) => {
      const p = await participant();
      const [cycle, submissions, nominations] = await Promise.all([
        repos.evaluations.cycleById(p.cycleId),
        repos.evaluations.submissions(p.id),
        repos.evaluations.nominations(p.id),
      ]);
      return pendingOwners(
        { cycle: cycle!, participant: (await repos.evaluations.participantById(p.id))!, submissions, nominations },
        now,
      );
    };
    const mgr = people.王经理!;
    expect(await owed(new Date('2026-11-30T02:00:00Z'))).toEqual([{ memberId: mgr.id, kind: 'customer' }]);
    expect(await owed(new Date('2026-12-02T02:00:00Z'))).toEqual([
      { memberId: mgr.id, kind: 'customer' },
      { memberId: mgr.id, kind: 'score' },
    ]);
    // In the supervisor's digest: both lines, with the buttons that do it.
    const planner = new EvaluationReminderPlanner(repos.evaluations);
    const deadline = new Date('2026-12-01T10:00:00Z');
    const base = {
      participantId: staff.id,
      ownerId: mgr.id,
      memberId: people.李员工!.id,
      cycleName: '2026',
      deadline,
      recipientId: mgr.id,
      kind: 'evaluation_overdue' as const,
      dueAt: deadline,
    };
    const part = planner.digestPart(
      mgr,
      [
        { ...base, key: 'a', pending: 'customer' },
        { ...base, key: 'b', pending: 'score' },
      ],
      new Map([[people.李员工!.id, '李员工']]),
    );
    expect(part.lines.join('\n')).toMatch(/为 李员工 记录客户评价（2026）.*考核 链接/);
    expect(part.lines.join('\n')).toContain('立即计算李员工的得分（2026）');
    expect(part.buttons.map((b) => b.actionId)).toEqual(['eval.customer']);
    // `eval mine` (and `my`) list the same for the supervisor, with the buttons.
    const mine = await cmd(MGR, 'eval mine');
    expect(text(mine)).toContain('为 李员工 记录客户评价（2026）');
    expect(text(mine)).not.toContain('立即计算');
    // The "Score now" the digest asks for works: the score counts the answers that are in.
    clock.set('2026-12-02T02:00:00Z');
    expect(text(await cmd(MGR, 'eval mine'))).toContain('立即计算李员工的得分（2026）');
    expect(JSON.stringify(await cmd(MGR, 'my'))).toContain('"actionId":"eval.finalize"');
    expect(text(await click(MGR, 'finalize', staff.id))).not.toContain('不能');
    expect(await participant()).toMatchObject({ stage: 'review', overallScore: expect.any(Number) });
    expect(await owed(new Date('2026-12-02T02:00:00Z'))).toEqual([{ memberId: mgr.id, kind: 'review' }]);
  });

  it('counts an answer that lands while the last step is being scored: the score waits for it and includes it', async () => {
    await cmd(HR, 'eval open annual dept 门店A deadline 2026-12-01');
    const staff = await participant();
    await cmd(HR, 'eval customer-facing <@USTAFF> yes');
    const selfForm = asForm(await click(STAFF, 'self', staff.id));
    await submit(STAFF, selfForm, answers(selfForm, '5'));
    const first = asForm(await cmd(MGR, 'eval customer <@USTAFF>'));
    await submit(MGR, first, answers(first, '5', { customer: 'ACME Ltd' }));
    // The supervisor's answer completes it; just before it is saved with its score, a second customer's answer
    // (judged on the state before the supervisor's) is stored.
    const supForm = asForm(await click(MGR, 'supervisor', staff.id));
    const second = asForm(await cmd(MGR, 'eval customer <@USTAFF>'));
    const transition = repos.evaluations.transition.bind(repos.evaluations);
    let landed = false;
    repos.evaluations.transition = async (input, now) => {
      if (!landed && input.patch.stage === 'review') {
        landed = true;
        expect((await submit(MGR, second, answers(second, '1', { customer: 'Globex' }))).kind).toBe('done');
      }
      return transition(input, now);
    };
    expect(await submit(MGR, supForm, answers(supForm, '4'))).toMatchObject({ kind: 'done' });
    expect(landed).toBe(true);
    const p = await participant();
    expect(p).toMatchObject({ stage: 'review', overallScore: expect.any(Number) });
    expect(JSON.parse(p.result!).explanation[0]).toMatchObject({ counts: { self: 1, supervisor: 1, customer: 2 } });
    expect(await db.evaluationSubmission.count({ where: { participantId: staff.id, raterKind: 'supervisor' } })).toBe(
      1,
    );
  });

  it('takes one answer per customer by name, in chat or through a link, and makes no link for a customer who answered', async () => {
    const linked = createCore(repos, {
      profiles: {},
      defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
      publicUrl: 'https://dudao.example.com/',
    });
    const say = async (actor: ActorRef, line: string) =>
      text(await linked.core.command({ actor, text: line, channelId: 'D1', now: clock.now() }));
    await cmd(HR, 'eval open annual dept 门店A deadline 2026-12-01');
    const staff = await participant();
    await cmd(HR, 'eval customer-facing <@USTAFF> yes');
    const custForm = asForm(await cmd(MGR, 'eval customer <@USTAFF>'));
    expect((await submit(MGR, custForm, answers(custForm, '5', { customer: 'ACME Ltd' }))).kind).toBe('done');
    // The same customer in chat again, however typed: refused, saying why.
    const again = await submit(
      MGR,
      asForm(await cmd(MGR, 'eval customer <@USTAFF>')),
      answers(custForm, '2', { customer: ' acme   LTD ' }),
    );
    expect(again).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('acme   LTD 已评价过 李员工（2026）：每位客户只能评价一次'),
    });
    // No link for them either; another customer gets one.
    expect(await say(MGR, 'eval link <@USTAFF> "Acme ltd"')).toContain('Acme ltd 已评价过 李员工（2026）');
    expect(await say(MGR, 'eval link <@USTAFF> "Globex"')).toContain('https://dudao.example.com/eval/c/');
    expect(await db.customerInvite.count()).toBe(1);
    // A link made before the chat entry: its answer is refused as the same customer (nothing saved, link not spent).
    const invite = await db.customerInvite.create({
      data: {
        participantId: staff.id,
        customerName: 'ACME LTD',
        tokenHash: 'x'.repeat(64),
        expiresAt: new Date('2026-12-30T00:00:00Z'),
        createdById: people.王经理!.id,
        createdAt: clock.now(),
      },
    });
    expect(
      await linked.evaluations!.recordCustomerSubmission(
        staff.id,
        'ACME LTD',
        { satisfaction: 1, communication: 1 },
        {},
        clock.now(),
        { inviteId: invite.id },
      ),
    ).toMatchObject({ ok: false, reason: 'already' });
    expect((await db.customerInvite.findUniqueOrThrow({ where: { id: invite.id } })).usedAt).toBeNull();
    const subs = await db.evaluationSubmission.findMany({ where: { raterKind: 'customer' } });
    expect(subs.map((s) => [s.raterKey, s.raterLabel])).toEqual([['c:name:acme ltd', 'ACME Ltd']]);
  });
});
