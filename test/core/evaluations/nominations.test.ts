// Peer nominations (annual cycles) through the core: the "Nominate peers" picker form from the member's card
// and from `eval peers` without mentions, validated by the same rules as the command (not yourself, not your
// supervisor, at most 10, only while answers are taken, only annual cycles); invalid choices come back on the
// field with nothing saved; people the bot never met are registered from their profile or named in the error.
import { beforeEach, describe, expect, it } from 'vitest';
import type { createCore } from '../../../src/core/create-core.js';
import { MAX_PEERS, newNominees } from '../../../src/core/evaluations/cycles/nominations.js';
import type { ParticipantState } from '../../../src/core/evaluations/cycles/rules.js';
import type { ActorRef, Member } from '../../../src/core/ports.js';
import { type FormOutcome, type FormView, fieldsOf, type Reply } from '../../../src/core/views/types.js';
import type { Db } from '../../../src/store/database.js';
import { FixedClock } from '../../support/clock.js';
import { evaluationActions, startMemoryEvaluationCore } from '../../support/evaluation-core.js';
import { asForm, textOf } from '../../support/inspections.js';
import type { MemoryDb } from '../../support/memory/index.js';
import { EVAL_ORG } from '../../support/org.js';
import { nominationReads } from '../../support/peer-nominations.js';

const slack = (userId: string): ActorRef => ({ platform: 'slack', userId });
const HR = slack('UHR');
const MGR = slack('UMGR');
const STAFF = slack('USTAFF');
const BOB = slack('UBOB');

// Helen HR and ten more colleagues in 门店B, enough to go past the limit.
const CROWD = Array.from({ length: 10 }, (_, i) => ({
  name: `Colleague ${i}`,
  slack: `UC${i}`,
  feishu: `ou_c${i}`,
  dept: '门店B',
}));
const ORG = [...EVAL_ORG, ...CROWD];

/** Every score of a rating form at 4. */
const answers = (form: FormView) =>
  Object.fromEntries(
    fieldsOf(form)
      .filter((f) => f.id.endsWith('_score'))
      .map((f) => [f.id, '4']),
  );
const member = (id: number, name = `m${id}`): Member => ({
  id,
  displayName: name,
  slackUserId: null,
  feishuOpenId: null,
  role: 'member',
  departmentId: null,
  locale: 'en',
  timeZone: 'UTC',
});

describe('newNominees (the rules the command and the form share)', () => {
  const s = (nominated: number[], supervisorId = 2) =>
    ({
      participant: { supervisorId },
      nominations: nominated.map((peerId, i) => ({
        id: i,
        participantId: 1,
        peerId,
        status: 'proposed',
        decidedById: null,
        decidedAt: null,
        createdAt: new Date(0),
      })),
    }) as unknown as ParticipantState;

  it('refuses the member and their supervisor, naming each once', () => {
    expect(newNominees(s([]), { id: 1 }, [member(3), member(1, 'Me'), member(2, 'Boss'), member(1, 'Me')])).toEqual({
      ok: false,
      problem: { kind: 'notThem', members: [member(1, 'Me'), member(2, 'Boss')] },
    });
  });

  it('skips people nominated already and repeats; nothing new is a problem', () => {
    expect(newNominees(s([3]), { id: 1 }, [member(3), member(4), member(4)])).toEqual({ ok: true, fresh: [member(4)] });
    expect(newNominees(s([3]), { id: 1 }, [member(3)])).toEqual({ ok: false, problem: { kind: 'nothingNew' } });
  });

  it('counts every nomination made so far towards the limit', () => {
    const nine = Array.from({ length: 9 }, (_, i) => 10 + i);
    expect(newNominees(s(nine), { id: 1 }, [member(30)])).toMatchObject({ ok: true });
    expect(newNominees(s(nine), { id: 1 }, [member(30), member(31)])).toEqual({
      ok: false,
      problem: { kind: 'tooMany', n: MAX_PEERS },
    });
  });
});

describe('the peer picker form', () => {
  let db: MemoryDb;
  let people: Record<string, Member>;
  let core: ReturnType<typeof createCore>['core'];
  const clock = new FixedClock();
  // Slack profiles the bot can read: only UNEW's among people it has never met.
  const profiles = {
    slack: {
      lookup: async (id: string) => (id === 'UNEW' ? { displayName: 'Nina New', timeZone: 'Asia/Shanghai' } : null),
    },
  };

  beforeEach(async () => {
    clock.set('2026-11-23T02:00:00Z');
    ({ db, people, core } = await startMemoryEvaluationCore(clock, { people: ORG, profiles }));
  });

  const { cmd, click, submit } = evaluationActions(() => core, clock);
  // The memory tables answer the reads nominationReads makes (findMany, findFirstOrThrow, count) as Prisma does.
  const {
    staff: staffParticipant,
    nominations,
    dbState,
  } = nominationReads(
    () => db as unknown as Db,
    () => people,
  );
  const text = (r: Reply) => textOf(r);
  const field = (form: FormView) => fieldsOf(form).find((f) => f.id === 'peers')!;
  const errorOf = (out: FormOutcome) =>
    out.kind === 'errors' ? out.errors.peers : `not errors: ${JSON.stringify(out)}`;

  it('opens from the member’s annual card with a picker; a valid choice nominates and the supervisor gets a card per nomination', async () => {
    await cmd(HR, 'eval open annual dept 门店A deadline 2027-01-15');
    const staff = await staffParticipant();
    // The member's card offers "Nominate peers" beside the self-evaluation; the supervisor's does not.
    const card = (await db.outboxMessage.findMany()).find(
      (r) => r.refKey === `eval:${staff.id}:card:${people.李员工!.id}`,
    )!;
    expect(card.payload).toContain('"actionId":"eval.nominate"');
    expect(card.payload).toContain('提名同事评价人');
    expect(text(await click(BOB, 'nominate', staff.id))).toContain('You may not “Nominate peers”');

    const form = asForm(await click(STAFF, 'nominate', staff.id));
    expect(form).toMatchObject({ formType: 'eval.peers', formId: `${staff.id}:0:0`, title: '提名同事评价人' });
    const picker = field(form);
    expect(picker).toMatchObject({
      kind: 'users',
      required: true,
      initial: '',
      maxItems: MAX_PEERS,
      label: '同事评价人',
    });
    // Offered: everyone on Slack but the member and their supervisor, the member's department first.
    const offered = picker.options!.map((o) => o.value);
    expect(offered).not.toContain('USTAFF');
    expect(offered).not.toContain('UMGR');
    expect(offered).toEqual(expect.arrayContaining(['UBOB', 'USUP', 'UHR', 'UC0']));
    expect(picker.options!.find((o) => o.value === 'UBOB')?.label).toBe('Bob Staff');
    expect(form.elements[0]).toMatchObject({
      kind: 'section',
      title: '李员工 · 2026',
      text: expect.stringContaining('由 王经理 逐一审批'),
    });

    await db.outboxMessage.deleteMany();
    const done = await submit(STAFF, form, { peers: 'UBOB,USUP' });
    expect(done.kind === 'done' && done.message.text).toBe('已提名 Bob Staff, Sam Supervisor，由 王经理 逐一审批。');
    expect(await nominations()).toEqual([
      { peerId: people['Bob Staff']!.id, status: 'proposed' },
      { peerId: people['Sam Supervisor']!.id, status: 'proposed' },
    ]);
    const cards = (await db.outboxMessage.findMany({ orderBy: { id: 'asc' } })).filter((r) => r.targetId === 'UMGR');
    expect(cards.map((r) => r.refKey)).toEqual([
      `eval:${staff.id}:nom:${people['Bob Staff']!.id}`,
      `eval:${staff.id}:nom:${people['Sam Supervisor']!.id}`,
    ]);
    expect(cards[0]!.payload).toContain('"actionId":"eval.approve"');
    // The supervisor decides as with the command.
    expect(text(await click(MGR, 'approve', `${staff.id}:${people['Bob Staff']!.id}`))).toContain('已同意');

    // The same form again is stale (a nomination was made since); nothing changes.
    expect(await submit(STAFF, form, { peers: 'UBOB,USUP,UC1' })).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('表单打开后考核状态已变化'),
    });
    expect(await nominations()).toHaveLength(2);
  });

  it('refuses yourself, your supervisor, too many and withdrawals on the field, saving nothing', async () => {
    await cmd(HR, 'eval open annual dept 门店A deadline 2027-01-15');
    await cmd(STAFF, 'eval peers <@UBOB>');
    const form = asForm(await cmd(STAFF, 'eval peers'));
    expect(form.formId).toMatch(/^\d+:0:1$/);
    // Pre-filled with the nomination already made.
    expect(field(form).initial).toBe('UBOB');
    await db.outboxMessage.deleteMany();
    const before = await dbState();

    const self = await submit(STAFF, form, { peers: 'UBOB,USTAFF' });
    expect(errorOf(self)).toBe('李员工 不能作为您的同事评价人（本人或上级）。');
    // The form comes back as submitted, the error on the picker.
    if (self.kind === 'errors') {
      expect(self.summary).toBe('有 1 处需要修改。');
      expect(field(self.form)).toMatchObject({
        initial: 'UBOB,USTAFF',
        error: '李员工 不能作为您的同事评价人（本人或上级）。',
      });
      expect(self.form.formId).toBe(form.formId);
    }
    expect(errorOf(await submit(STAFF, form, { peers: 'UBOB,UMGR' }))).toContain('王经理 不能作为您的同事评价人');
    // One nominated already and ten more make eleven.
    expect(errorOf(await submit(STAFF, form, { peers: ['UBOB', ...CROWD.map((c) => c.slack)].join(',') }))).toBe(
      '最多可提名 10 位同事。',
    );
    // Far more than could ever pass is refused before anyone is looked up.
    expect(
      errorOf(await submit(STAFF, form, { peers: ['UBOB', ...CROWD.map((c) => c.slack), 'USUP', 'UHR'].join(',') })),
    ).toBe('最多可提名 10 位同事。');
    expect(errorOf(await submit(STAFF, form, { peers: 'UC1' }))).toBe(
      '已提名的同事不能撤回：请保留 Bob Staff（可由上级拒绝）。',
    );
    expect(errorOf(await submit(STAFF, form, { peers: 'UBOB' }))).toBe('这些同事已被提名。');
    expect(await dbState()).toEqual(before);

    // Ten in all is the limit: nine more go through.
    const nine = await submit(STAFF, form, { peers: ['UBOB', ...CROWD.slice(0, 9).map((c) => c.slack)].join(',') });
    expect(nine.kind).toBe('done');
    expect(await nominations()).toHaveLength(MAX_PEERS);
  });

  it('registers a colleague the bot never met from their profile, and names one whose profile cannot be read', async () => {
    await cmd(HR, 'eval open annual dept 门店A deadline 2027-01-15');
    const form = asForm(await cmd(STAFF, 'eval peers'));
    const before = await dbState();
    expect(errorOf(await submit(STAFF, form, { peers: 'UNEW,UGHOST' }))).toBe(
      '还不认识 UGHOST（无法读取其资料）：请对方先给我发一条消息，或由管理员导入；也可以选择其他同事。',
    );
    expect((await dbState()).nominations).toEqual(before.nominations);
    expect(errorOf(await submit(STAFF, form, { peers: '' }))).toBe('必填。');

    expect((await submit(STAFF, form, { peers: 'UNEW' })).kind).toBe('done');
    const nina = await db.member.findFirstOrThrow({ where: { slackUserId: 'UNEW' } });
    expect(nina).toMatchObject({ displayName: 'Nina New', role: 'member' });
    expect(await nominations()).toEqual([{ peerId: nina.id, status: 'proposed' }]);
  });

  it('lists declined nominations apart, and is refused once the member’s evaluation moved on or outside annual cycles', async () => {
    expect(text(await cmd(STAFF, 'eval peers'))).toContain('您不在进行中的年度考核中');
    await cmd(HR, 'eval open monthly dept 门店A');
    expect(text(await cmd(STAFF, 'eval peers'))).toContain('您不在进行中的年度考核中');
    const monthly = await staffParticipant();
    expect(text(await click(STAFF, 'nominate', monthly.id))).toContain('考核当前阶段不能执行“提名同事评价人”');

    await cmd(HR, 'eval open annual dept 门店A deadline 2027-01-15');
    const staff = (
      await db.evaluationParticipant.findMany({
        where: { memberId: people.李员工!.id },
        orderBy: { id: 'desc' },
      })
    )[0]!;
    await cmd(STAFF, 'eval peers <@UBOB> <@USUP>');
    expect(text(await click(MGR, 'decline', `${staff.id}:${people['Sam Supervisor']!.id}`))).toContain('已拒绝');
    const form = asForm(await click(STAFF, 'nominate', staff.id));
    expect(field(form)).toMatchObject({ initial: 'UBOB', maxItems: MAX_PEERS - 1 });
    expect((form.elements[0] as { text: string }).text).toContain('王经理 已拒绝：Sam Supervisor');

    // The self-evaluation moves the participant on (a new version): the open form is stale.
    const selfForm = asForm(await click(STAFF, 'self', staff.id));
    expect((await submit(STAFF, selfForm, answers(selfForm))).kind).toBe('done');
    expect(await submit(STAFF, form, { peers: 'UBOB,UC0' })).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('表单打开后考核状态已变化'),
    });
    // A fresh form still works while the supervisor has not scored.
    const again = asForm(await click(STAFF, 'nominate', staff.id));
    expect((await submit(STAFF, again, { peers: 'UBOB,UC0' })).kind).toBe('done');

    // The supervisor's evaluation does not score while nominations wait for a decision; declining the last
    // one leaves nothing to wait for, and scores. Then nominating is over.
    const supForm = asForm(await click(MGR, 'supervisor', staff.id));
    expect((await submit(MGR, supForm, answers(supForm))).kind).toBe('done');
    expect(await db.evaluationParticipant.findUniqueOrThrow({ where: { id: staff.id } })).toMatchObject({
      stage: 'supervisor',
      overallScore: null,
    });
    expect(text(await click(MGR, 'decline', `${staff.id}:${people['Bob Staff']!.id}`))).toContain('已拒绝');
    expect(await db.evaluationParticipant.findUniqueOrThrow({ where: { id: staff.id } })).toMatchObject({
      stage: 'supervisor',
    });
    expect(text(await click(MGR, 'decline', `${staff.id}:${people['Colleague 0']!.id}`))).toContain('已拒绝');
    expect(await db.evaluationParticipant.findUniqueOrThrow({ where: { id: staff.id } })).toMatchObject({
      stage: 'review',
      overallScore: expect.any(Number),
    });
    expect(text(await cmd(STAFF, 'eval peers'))).toContain('考核当前阶段不能执行“提名同事评价人”');
    const card = (
      await db.outboxMessage.findMany({
        where: { refKey: `eval:${staff.id}:card:${people.李员工!.id}` },
        orderBy: { id: 'desc' },
      })
    )[0]!;
    expect(card.payload).not.toContain('eval.nominate');
  });
});
