// `eval score` (score now) for the supervisor, HR and admins, with the reasons it waits; `eval open` with an
// explicit period and with departments that have child departments; the written evaluations `eval result`
// shows each reader (privacy.ts); and the customer-facing mark refused after scoring with a fitting message.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/core/commands/parse.js';
import { cardActions, mayAct, type ParticipantState } from '../../../src/core/evaluations/cycles/rules.js';
import type { ActorRef, Member } from '../../../src/core/ports.js';
import { type FormView, fieldsOf, type Reply } from '../../../src/core/views/types.js';
import { FixedClock } from '../../support/clock.js';
import { type MemoryEvaluationCore, SLACK_ACTORS, useMemoryEvaluationCore } from '../../support/evaluation-core.js';
import { EVAL_PEOPLE } from '../../support/evaluation-flows.js';
import { asForm, textOf } from '../../support/inspections.js';

const { HR, MGR, STAFF, BOB, ADMIN, CAROL } = SLACK_ACTORS;

/** Every score of a rating form at `score`, the first criterion with `note`. */
function answers(
  form: FormView,
  score: string,
  note?: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const scores = fieldsOf(form).filter((f) => f.id.endsWith('_score'));
  const values: Record<string, string> = Object.fromEntries(scores.map((f) => [f.id, score]));
  if (note && scores[0]) values[scores[0].id.replace('_score', '_note')] = note;
  return { ...values, ...extra };
}

describe('score now in the rules (mayAct, cardActions)', () => {
  const at = (iso: string) => new Date(iso);
  const state = (
    o: {
      kind?: 'monthly' | 'annual';
      stage?: ParticipantState['participant']['stage'];
      supervisorAt?: Date | null;
      approved?: number[];
    } = {},
  ): ParticipantState =>
    ({
      cycle: { id: 1, kind: o.kind ?? 'annual', name: '2026', status: 'open', deadline: at('2026-12-01T10:00:00Z') },
      participant: {
        id: 7,
        memberId: 1,
        supervisorId: 2,
        stage: o.stage ?? 'supervisor',
        supervisorAt: o.supervisorAt === undefined ? at('2026-11-20T00:00:00Z') : o.supervisorAt,
        reviewedAt: null,
        acknowledgedAt: null,
        selfAt: at('2026-11-19T00:00:00Z'),
        result: null,
        customerFacing: false,
      },
      submissions: [{ raterKind: 'supervisor', raterMemberId: 2 }],
      nominations: (o.approved ?? [3]).map((peerId, i) => ({ id: i, participantId: 7, peerId, status: 'approved' })),
    }) as unknown as ParticipantState;
  const who = (id: number, role: Member['role'] = 'member') => ({ member: { id, role } });
  const before = at('2026-11-25T00:00:00Z');
  const after = at('2026-12-02T00:00:00Z');

  it('lets the supervisor, HR and admins score after the deadline, on the card too; never the member or a peer', () => {
    expect(mayAct('finalize', state(), who(2), before)).toBe('notYet');
    for (const w of [who(2), who(9, 'hr'), who(8, 'admin')]) {
      expect(mayAct('finalize', state(), w, after)).toBe(true);
      expect(cardActions(state(), w, after)).toContain('finalize');
    }
    for (const w of [who(1), who(3)]) {
      expect(mayAct('finalize', state(), w, after)).toBe('notAllowed');
      expect(cardActions(state(), w, after)).not.toContain('finalize');
    }
    // HR may record a customer's answers from commands; the button stays the supervisor's.
    expect(cardActions(state(), who(9, 'hr'), after)).not.toContain('customer');
  });

  it('before the deadline only when nothing else is awaited; never before the supervisor’s evaluation or twice', () => {
    expect(mayAct('finalize', state({ approved: [] }), who(9, 'hr'), before)).toBe(true);
    expect(mayAct('finalize', state({ kind: 'monthly', approved: [] }), who(2), before)).toBe(true);
    expect(mayAct('finalize', state({ supervisorAt: null }), who(2), after)).toBe('notYet');
    expect(mayAct('finalize', state({ stage: 'self', supervisorAt: null }), who(2), after)).toBe('notYet');
    expect(mayAct('finalize', state({ stage: 'review' }), who(2), after)).toBe('already');
  });
});

describe('the grammar of eval score and eval open periods', () => {
  it('parses eval score @user [cycle] with its Chinese alias, and a period after the cycle kind', () => {
    expect(parseCommand('eval score <@U1>')).toEqual({
      ok: true,
      command: { name: 'eval', eval: { sub: 'score', mention: 'U1' } },
    });
    expect(parseCommand('考核 评分 <@U1> 2026')).toEqual({
      ok: true,
      command: { name: 'eval', eval: { sub: 'score', mention: 'U1', cycle: '2026' } },
    });
    expect(parseCommand('eval score')).toMatchObject({ ok: false, kind: 'usage', topic: 'eval' });
    expect(parseCommand('eval open monthly 2026-11 dept 门店A deadline 2026-12-10')).toEqual({
      ok: true,
      command: {
        name: 'eval',
        eval: { sub: 'open', kind: 'monthly', period: '2026-11', deptNames: ['门店A'], deadline: '2026-12-10' },
      },
    });
    expect(parseCommand('考核 开启 年度 2025')).toEqual({
      ok: true,
      command: { name: 'eval', eval: { sub: 'open', kind: 'annual', period: '2025', deptNames: [] } },
    });
    expect(parseCommand('eval open monthly dept 门店A')).toEqual({
      ok: true,
      command: { name: 'eval', eval: { sub: 'open', kind: 'monthly', deptNames: ['门店A'] } },
    });
  });
});

describe('evaluation cycle commands', () => {
  let { db, repos, people, core } = {} as MemoryEvaluationCore;
  const clock = new FixedClock(); // set to Monday 10:00 in Shanghai before each test
  const { cmd, click, submit, participant } = useMemoryEvaluationCore(
    clock,
    { people: EVAL_PEOPLE },
    (env) => ({ db, repos, people, core } = env),
  );
  const text = (r: Reply) => textOf(r);
  const evalRows = async () => ({
    cycles: await db.evaluationCycle.findMany({ orderBy: { id: 'asc' } }),
    participants: await db.evaluationParticipant.findMany({ orderBy: { id: 'asc' } }),
    outbox: await db.outboxMessage.count(),
  });

  it('eval score / 考核 评分: says what it waits for, then scores after the deadline for HR (command) and an admin (card button)', async () => {
    expect(text(await cmd(HR, 'eval open annual dept 门店A deadline 2026-12-01'))).toContain('for 3 members');
    const staff = await participant('李员工');
    const carol = await participant('Carol Peer');
    // Each has a peer to wait for.
    await cmd(STAFF, 'eval peers <@UCAROL>');
    await cmd(CAROL, 'eval peers <@USTAFF>');
    expect(text(await click(MGR, 'approve', `${staff.id}:${people['Carol Peer']!.id}`))).toContain('已同意');
    expect(text(await click(MGR, 'approve', `${carol.id}:${people.李员工!.id}`))).toContain('已同意');

    const unchanged = async (line: ActorRef, command: string) => {
      const before = await evalRows();
      const r = text(await cmd(line, command));
      expect(await evalRows()).toEqual(before);
      return r;
    };
    expect(await unchanged(HR, 'eval score <@USTAFF>')).toContain(
      '李员工 has not submitted the self-evaluation (2026) yet',
    );
    for (const [who, name] of [
      [STAFF, '李员工'],
      [CAROL, 'Carol Peer'],
    ] as const) {
      const f = asForm(await click(who, 'self', (await participant(name)).id));
      expect((await submit(who, f, answers(f, '4'))).kind).toBe('done');
    }
    expect(await unchanged(HR, 'eval score <@USTAFF>')).toContain(
      'The supervisor’s evaluation of 李员工 (2026) is not in yet',
    );
    for (const name of ['李员工', 'Carol Peer']) {
      const f = asForm(await click(MGR, 'supervisor', (await participant(name)).id));
      expect((await submit(MGR, f, answers(f, '4'))).kind).toBe('done');
    }
    expect(await participant('李员工')).toMatchObject({ stage: 'supervisor', overallScore: null });
    // Before the deadline: waiting for the peer; the member, a colleague and a peer may not score at all.
    expect(await unchanged(MGR, '考核 评分 <@USTAFF>')).toContain('仍有评价未提交（1 位同事未填写）');
    expect(await unchanged(STAFF, 'eval score <@USTAFF>')).toContain('您不能在此考核中执行“立即计算得分”');
    expect(await unchanged(BOB, 'eval score <@USTAFF>')).toContain('You may not “Score now”');
    expect(await unchanged(HR, 'eval score <@UNOBODY>')).toContain('<@UNOBODY>');
    expect(await unchanged(HR, 'eval score <@USTAFF> 2030')).toContain('2030');

    clock.set('2026-12-02T02:00:00Z');
    expect(await unchanged(CAROL, 'eval score <@USTAFF>')).toContain('You may not “Score now”');
    expect(text(await cmd(HR, 'eval score <@USTAFF>'))).toContain(
      'Computed the score of 李员工 (2026): the review conversation is next.',
    );
    const scored = await participant('李员工');
    expect(scored).toMatchObject({ stage: 'review' });
    expect(JSON.parse(scored.result!).explanation[0]).toMatchObject({ missing: ['peer', 'customer'] });
    // The supervisor is told to hold the review; the member's card is redrawn.
    const notice = await db.outboxMessage.findFirst({
      where: { targetId: 'UMGR', refKey: null },
      orderBy: { id: 'desc' },
    });
    expect(notice?.payload).toContain('李员工 的考核得分（2026）已计算');
    expect(await unchanged(HR, 'eval score <@USTAFF> 2026')).toContain(
      'The score of 李员工 (2026) is computed already.',
    );
    expect(await unchanged(MGR, '考核 评分 <@USTAFF>')).toContain('李员工 的考核得分（2026）已计算');

    // An admin who is not the supervisor uses the card's "Score now" button.
    const r = await click(ADMIN, 'finalize', carol.id);
    expect(text(r)).toContain('review conversation');
    expect(await participant('Carol Peer')).toMatchObject({ stage: 'review' });
    expect(text(await cmd(ADMIN, 'help eval'))).toContain('eval score @user [cycle]');
  });

  it('eval open with an explicit period: November opened on 2 December, refusals for a bad or future period', async () => {
    clock.set('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const before = await evalRows();
    expect(text(await cmd(HR, 'eval open monthly 2027-01'))).toContain('The period 2027-01 has not begun yet');
    expect(text(await cmd(HR, 'eval open annual 2027'))).toContain('The period 2027 has not begun yet');
    expect(text(await cmd(HR, 'eval open monthly 2026-13'))).toContain(
      '“2026-13” is not a valid monthly period: write YYYY-MM',
    );
    expect(text(await cmd(HR, 'eval open monthly 2026'))).toContain('“2026” is not a valid monthly period');
    expect(text(await cmd(HR, 'eval open annual 2026-11'))).toContain('“2026-11” is not a valid annual period');
    expect(text(await cmd(ADMIN, '考核 开启 月度 2026/11'))).toContain('“2026/11” is not a valid monthly period');
    expect(text(await cmd(STAFF, 'eval open monthly 2026-11'))).toContain('只有人事 / 管理员');
    expect(await evalRows()).toEqual(before);

    expect(text(await cmd(HR, 'eval open monthly 2026-11 dept 门店A'))).toContain(
      'Opened the monthly evaluation 2026-11 for 3 members (门店A)',
    );
    const nov = await db.evaluationCycle.findFirstOrThrow({ where: { name: '2026-11' } });
    expect(nov.periodStart.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(nov.periodEnd.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    // Default deadline as before: the period's last day (Mon 30 Nov) + 5 working days = Mon 7 Dec, 18:00.
    expect(nov.deadline.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(text(await cmd(HR, 'eval open monthly 2026-11 dept 门店A'))).toContain(
      'A monthly cycle 2026-11 exists already',
    );
    // The current month is not in the future; without a period it is the default, as before.
    expect(text(await cmd(HR, 'eval open monthly'))).toContain('Opened the monthly evaluation 2026-12');
    // A past year opened late: its default deadline would have passed, so it counts from today.
    expect(text(await cmd(ADMIN, '考核 开启 年度 2025 部门 门店A'))).toContain(
      'Opened the annual evaluation 2025 for 3 members (门店A), deadline 2026-12-09 18:00',
    );
    const y = await db.evaluationCycle.findFirstOrThrow({ where: { name: '2025' } });
    expect(y.periodStart.toISOString()).toBe('2024-12-31T16:00:00.000Z');
    expect(y.deadline.toISOString()).toBe('2026-12-09T10:00:00.000Z'); // Wed 2 Dec + 5 working days
    // An explicit deadline is still checked.
    expect(text(await cmd(HR, 'eval open monthly 2026-10 deadline 2026-12-01'))).toContain(
      'The deadline must be later than now.',
    );
  });

  it('eval open dept <name> takes in its child departments', async () => {
    const parent = (await repos.org.listDepartments()).find((d) => d.name === '门店A')!;
    const child = await repos.org.createDepartment({ name: '门店A-仓库', parentId: parent.id });
    await db.member.create({
      data: {
        displayName: '仓库小张',
        slackUserId: 'UWH',
        departmentId: child.id,
        role: 'member',
        locale: 'zh-CN',
        timeZone: 'Asia/Shanghai',
      },
    });
    expect(text(await cmd(HR, 'eval open monthly dept 门店A'))).toContain('for 4 members (门店A)');
    const cycle = await db.evaluationCycle.findFirstOrThrow();
    expect(JSON.parse(cycle.departmentIds).sort()).toEqual([parent.id, child.id].sort());
    const members = await db.evaluationParticipant.findMany({ select: { memberId: true } });
    const wh = (await repos.org.listMembers()).find((m) => m.displayName === '仓库小张')!;
    expect(members.map((m) => m.memberId)).toContain(wh.id);
    // The child's member is evaluated by the parent department's manager.
    expect(await db.evaluationParticipant.findFirstOrThrow({ where: { memberId: wh.id } })).toMatchObject({
      supervisorId: people.王经理!.id,
    });
    // Naming only the child keeps the parent out.
    expect(text(await cmd(HR, 'eval open annual dept 门店A-仓库'))).toContain('for 1 members (门店A-仓库)');
  });

  it('eval open for another department of a period already open adds its people to that cycle, once, keeping the deadline', async () => {
    expect(text(await cmd(HR, 'eval open monthly dept 门店A deadline 2026-12-10'))).toContain('for 3 members (门店A)');
    const before = await evalRows();
    const bob = people['Bob Staff']!;
    const added = text(await cmd(HR, 'eval open monthly dept 门店B deadline 2026-12-20'));
    expect(added).toContain('Added 1 people (门店B) to the monthly cycle 2026-11');
    expect(added).toContain('2026-12-10');
    const after = await evalRows();
    expect(after.cycles).toHaveLength(1);
    expect(JSON.parse(after.cycles[0]!.departmentIds)).toEqual(
      expect.arrayContaining(JSON.parse(before.cycles[0]!.departmentIds)),
    );
    expect(after.participants.map((p) => p.memberId)).toEqual([...before.participants.map((p) => p.memberId), bob.id]);
    // Bob got his card; nobody else got a second one.
    expect(after.outbox - before.outbox).toBe(1);
    expect((await db.outboxMessage.findMany({ orderBy: { id: 'desc' }, take: 1 }))[0]).toMatchObject({
      targetId: 'UBOB',
    });
    // Asking again for a department it covers changes nothing.
    expect(text(await cmd(HR, 'eval open monthly dept 门店B'))).toContain('exists already');
    expect(await evalRows()).toEqual(after);
    // Once closed, a period cannot be widened.
    await cmd(HR, 'eval close 2026-11');
    const closed = await evalRows();
    expect(text(await cmd(HR, 'eval open monthly'))).toContain('exists already');
    expect(await evalRows()).toEqual(closed);
  });

  it('eval result shows the written evaluations each reader may see: supervisor and HR all, the member theirs and the supervisor’s after the review, a peer what they wrote', async () => {
    await cmd(HR, 'eval open annual dept 门店A deadline 2027-01-15');
    const staff = await participant('李员工');
    await cmd(STAFF, 'eval peers <@UCAROL>');
    await click(MGR, 'approve', `${staff.id}:${people['Carol Peer']!.id}`);
    await cmd(HR, 'eval customer-facing <@USTAFF> yes');

    const selfForm = asForm(await click(STAFF, 'self', staff.id));
    await submit(STAFF, selfForm, answers(selfForm, '5', '完成了全年目标'));
    // The member sees what they wrote at once, with why the rest waits.
    let r = text(await cmd(STAFF, 'eval result'));
    expect(r).toContain('考核沟通记录后才能查看此内容');
    expect(r).toContain('自评 · 李员工');
    expect(r).toContain('业务指标完成情况（销售额、利润额、市场份额等）：5 — 完成了全年目标');

    const peerForm = asForm(await click(CAROL, 'peer', staff.id));
    await submit(CAROL, peerForm, answers(peerForm, '3', 'great teammate, slow replies'));
    const custForm = asForm(await cmd(MGR, 'eval customer <@USTAFF>'));
    await submit(MGR, custForm, answers(custForm, '2', 'late deliveries', { customer: 'ACME Ltd' }));
    // A peer sees what they wrote, nothing else.
    r = text(await cmd(CAROL, 'eval result <@USTAFF>'));
    expect(r).toContain('You can see only the evaluation you wrote.');
    expect(r).toContain('Peer evaluation · Carol Peer');
    expect(r).toContain(': 3 — great teammate, slow replies');
    expect(r).not.toContain('完成了全年目标');
    expect(r).not.toContain('late deliveries');
    // Someone not involved sees nothing.
    expect(text(await cmd(BOB, 'eval result <@USTAFF>'))).toBe(
      'You are not part of this evaluation.\nYou are not part of this evaluation.',
    );

    const supForm = asForm(await click(MGR, 'supervisor', staff.id));
    await submit(MGR, supForm, answers(supForm, '4', '需要加强沟通'));
    expect(await participant('李员工')).toMatchObject({ stage: 'review' });

    // The supervisor and HR read every written evaluation, with who wrote it.
    const mgr = text(await cmd(MGR, 'eval result <@USTAFF>'));
    for (const s of [
      '综合得分',
      '书面评价',
      '自评 · 李员工',
      '完成了全年目标',
      '上级评价 · 王经理',
      '需要加强沟通',
      '同事评价 · Carol Peer',
      'great teammate',
      '客户评价 · ACME Ltd',
      'late deliveries',
    ])
      expect(mgr).toContain(s);
    const hr = text(await cmd(HR, 'eval result <@USTAFF> 2026'));
    for (const s of [
      'Written evaluations',
      'Self-evaluation · 李员工',
      'Supervisor’s evaluation · 王经理',
      'Peer evaluation · Carol Peer',
      'Customer evaluation · ACME Ltd',
      'late deliveries',
    ])
      expect(hr).toContain(s);
    // Order: self, supervisor, peers, customers.
    expect(hr.indexOf('Self-evaluation')).toBeLessThan(hr.indexOf('Supervisor’s evaluation'));
    expect(hr.indexOf('Peer evaluation')).toBeLessThan(hr.indexOf('Customer evaluation'));
    // The peer still sees only theirs, now that the score is computed.
    expect(text(await cmd(CAROL, 'eval result <@USTAFF>'))).not.toContain('需要加强沟通');

    // After scoring, the customer-facing mark cannot change; the reason is not about a form.
    const before = await evalRows();
    const cf = text(await cmd(HR, 'eval customer-facing <@USTAFF> no'));
    expect(cf).toContain(
      'The score of this evaluation is computed already: customers can no longer be added or changed',
    );
    expect(cf).not.toContain('form');
    expect(await evalRows()).toEqual(before);

    // After the review the member reads the supervisor's evaluation too, never the peers' or customers' (nor their names).
    const reviewForm = asForm(await click(MGR, 'review', staff.id));
    await submit(MGR, reviewForm, { plan: '每周复盘', goals: '明年目标' });
    const mine = text(await cmd(STAFF, 'eval result'));
    for (const s of ['综合得分', '自评 · 李员工', '完成了全年目标', '上级评价 · 王经理', '需要加强沟通', '明年目标'])
      expect(mine).toContain(s);
    for (const s of ['Carol', 'great teammate', 'ACME', 'late deliveries', '同事评价', '客户评价'])
      expect(mine).not.toContain(s);
  });
});
