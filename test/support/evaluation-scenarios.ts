// Whole evaluation scenarios for the platform end-to-end tests, written once for Slack and Feishu: an annual
// cycle from opening to acknowledgement, an invalid answer on every form, and the privacy refusals. Each
// platform's test file runs them through its EvalChat and adds what only that platform shows.
import { expect } from 'vitest';
import { DEFAULT_EVALUATION_CONFIG } from '../../src/core/evaluations/criteria.js';
import type { EvalChat, Shown, ShownForm, Submitted } from './evaluation-chat.js';
import {
  cardKey,
  changesNothing,
  configuredScore,
  decide,
  expectForm,
  expectMessage,
  label,
  nominate,
  nominationKey,
  openAnnual,
  participant,
  peerCardKey,
  peerEvaluate,
  recordCustomer,
  recordReview,
  scores,
  selfEvaluate,
  submitSaved,
  superviseEvaluate,
} from './evaluation-flows.js';

/**
 * 李员工 (customer-facing) in the annual cycle 2026 of 门店A: self 5, peers Bob Staff 3 and Carol Peer 5 (Sam
 * Supervisor declined), ACME Ltd 2 recorded by 王经理 (the account owner), supervisor 4; review; acknowledged.
 */
export async function annualCycleEndToEnd(chat: EvalChat): Promise<{ participantId: number }> {
  await openAnnual(chat, ['门店A']);
  const staff = await participant(chat, '李员工');
  const mine = () => chat.card(cardKey(chat, staff.id, '李员工'));
  const managers = () => chat.card(cardKey(chat, staff.id, '王经理'));
  expect((await mine())!.text).toContain('绩效考核 · 李员工 · 2026（年度）');
  expect((await mine())!.text).toContain('考核 2026 已开启，请在');
  // (While peers can be nominated the card may also offer the peer picker; that is not tested here.)
  expect((await mine())!.buttons).toContain('填写自评');
  expect(expectMessage(await chat.command('Helen HR', 'eval customer-facing {李员工} yes'))).toContain(
    '李员工 is customer-facing in 2026: customers can evaluate them.',
  );

  await selfEvaluate(chat, '李员工', '5', { c0_note: '全年超额完成' });
  expect(chat.received('王经理').join('\n')).toContain('李员工 已提交自评（2026），请填写上级评价。');
  expect((await mine())!.buttons).not.toContain('填写自评');
  expect((await managers())!.buttons).toEqual(['填写上级评价', '录入客户评价']);

  await nominate(chat, '李员工', ['Bob Staff', 'Carol Peer', 'Sam Supervisor'], '王经理');
  await decide(chat, '王经理', '李员工', 'Bob Staff', 'approve');
  await decide(chat, '王经理', '李员工', 'Carol Peer', 'approve');
  await decide(chat, '王经理', '李员工', 'Sam Supervisor', 'decline');
  expect((await mine())!.text).toMatch(/同事已评\W+0 \/ 2/);

  await recordCustomer(chat, '王经理', '李员工', 'ACME Ltd', '2');
  expect(await peerEvaluate(chat, 'Bob Staff', '李员工', '3')).toContain(
    'Saved. The evaluation is now at: supervisor evaluation.',
  );
  expect((await chat.card(peerCardKey(chat, staff.id, 'Bob Staff')))!.buttons).toEqual([]);
  // The supervisor's evaluation is in, but Carol has yet to answer: no score yet.
  expect(await superviseEvaluate(chat, '王经理', '李员工', '4', '自评：5 — 全年超额完成')).toContain(
    '已保存。考核当前阶段：上级评价中。',
  );
  expect(await participant(chat, '李员工')).toMatchObject({ stage: 'supervisor', overallScore: null });
  // The last approved peer's answer completes it.
  expect(await peerEvaluate(chat, 'Carol Peer', '李员工', '5')).toContain(
    'Saved. The evaluation is now at: review conversation.',
  );

  // Every rater kind counts with the configured annual weights (self 20, supervisor 50, peers 15, customers 15).
  const expected = configuredScore(DEFAULT_EVALUATION_CONFIG, 'annual', {
    self: 5,
    supervisor: 4,
    peer: 4,
    customer: 2,
  });
  expect(expected).toMatchObject({ dimensions: [83, 83.5, 85], overall: 83.4, grade: { label: 'A' } });
  expect(await participant(chat, '李员工')).toMatchObject({
    stage: 'review',
    overallScore: expected.overall,
    grade: expected.grade.label,
  });
  expect(chat.received('王经理').join('\n')).toContain('李员工 的考核得分（2026）已计算，请进行并记录绩效面谈。');
  // The supervisor's card shows the score; the member's shows neither the score nor the result yet.
  expect((await managers())!.text).toContain('83.4 · A');
  expect((await managers())!.buttons).toEqual(['记录面谈', '查看结果']);
  expect((await mine())!.text).not.toContain('83.4');

  await recordReview(chat, '王经理', '李员工', '加强大客户沟通', '2027 年客户满意度达到 4.5 分');
  expect(chat.received('李员工').join('\n')).toContain('王经理 已记录您的绩效面谈（2026），请查看并确认考核结果。');
  expect((await mine())!.buttons).toEqual(['确认', '查看结果']);
  const result = expectMessage(await chat.press('李员工', cardKey(chat, staff.id, '李员工'), '查看结果'));
  for (const line of [
    '综合得分：60% × 83.0 + 30% × 83.5 + 10% × 85.0 = 83.4',
    'A · 优秀',
    '同事（2 人，平均 4）',
    '客户 40.0',
    '2027 年客户满意度达到 4.5 分',
  ])
    expect(result).toContain(line);
  // Peers and customers count, but nobody is named.
  for (const name of ['Bob Staff', 'Carol Peer', 'ACME']) expect(result).not.toContain(name);

  expect(expectMessage(await chat.press('李员工', cardKey(chat, staff.id, '李员工'), '确认'))).toContain(
    '已保存。考核当前阶段：已完成。',
  );
  await chat.settle();
  expect(await participant(chat, '李员工')).toMatchObject({
    stage: 'done',
    reviewPlan: '加强大客户沟通',
    acknowledgedAt: expect.any(Date),
  });
  expect((await mine())!.buttons).toEqual(['查看结果']);
  expect((await mine())!.text).toContain('83.4 · A');
  const rows = await chat.prisma.evaluationSubmission.findMany({
    where: { participantId: staff.id },
    orderBy: { id: 'asc' },
  });
  expect(rows.map((r) => [r.raterKind, r.raterLabel])).toEqual([
    ['self', null],
    ['customer', 'ACME Ltd'],
    ['peer', null],
    ['supervisor', null],
    ['peer', null],
  ]);
  const nominations = await chat.prisma.peerNomination.findMany({
    where: { participantId: staff.id },
    orderBy: { id: 'asc' },
  });
  expect(nominations.map((n) => n.status)).toEqual(['approved', 'approved', 'declined']);
  return { participantId: staff.id };
}

export type FormKind = 'self' | 'peer' | 'customer' | 'supervisor' | 'review';

export interface InvalidAnswer {
  kind: FormKind;
  who: string;
  form: ShownForm;
  values: Record<string, string>;
  result: Extract<Submitted, { kind: 'errors' }>;
}

/**
 * Walks an annual cycle of 门店A (李员工 customer-facing, Bob Staff an approved peer) and on every form first
 * submits invalid answers: the errors come back on the fields, in the submitter's language, and nothing is
 * saved; `check` adds what the platform shows. The same form, corrected, is then saved.
 */
export async function invalidAnswersOnEveryForm(
  chat: EvalChat,
  check: (bad: InvalidAnswer) => void | Promise<void>,
): Promise<void> {
  await openAnnual(chat, ['门店A']);
  await chat.command('Helen HR', 'eval customer-facing {李员工} yes');
  await nominate(chat, '李员工', ['Bob Staff'], '王经理');
  await decide(chat, '王经理', '李员工', 'Bob Staff', 'approve');
  const pid = (await participant(chat, '李员工')).id;

  async function attempt(
    kind: FormKind,
    who: string,
    open: () => Promise<Shown>,
    bad: (f: ShownForm) => Record<string, string>,
    errors: Record<string, string>,
    good: (f: ShownForm) => Record<string, string>,
  ) {
    const form = expectForm(await open());
    const values = bad(form);
    const result = await changesNothing(chat, () => chat.submit(who, form, values));
    if (result.kind !== 'errors') throw new Error(`${kind}: expected errors, got “${result.text}”`);
    expect(result.errors).toEqual(errors);
    await check({ kind, who, form, values, result });
    await submitSaved(chat, who, result.form ?? form, good(result.form ?? form));
    await chat.settle();
  }
  const press = (who: string, key: string, action: string) => () => chat.press(who, key, label(chat, who, action));

  await attempt(
    'self',
    '李员工',
    press('李员工', cardKey(chat, pid, '李员工'), 'self'),
    (f) => scores(f, '4', { c0_score: '', c1_score: '7', c2_note: 'x'.repeat(501) }),
    { c0_score: '必填。', c1_score: '请选择 1-5 分。', c2_note: '最多 500 个字符。' },
    (f) => scores(f, '4'),
  );
  await attempt(
    'peer',
    'Bob Staff',
    press('Bob Staff', peerCardKey(chat, pid, 'Bob Staff'), 'peer'),
    (f) => scores(f, '3', { c4_score: '', c9_score: '6', c7_note: 'fine' }),
    { c4_score: 'Required.', c9_score: 'Choose a score from 1 to 5.' },
    (f) => scores(f, '3'),
  );
  await attempt(
    'customer',
    '王经理',
    () => chat.command('王经理', 'eval customer {李员工}'),
    (f) => scores(f, '5', { customer: '   ', c2_score: '' }),
    { customer: '必填。', c2_score: '必填。' },
    (f) => scores(f, '5', { customer: 'ACME Ltd' }),
  );
  await attempt(
    'supervisor',
    '王经理',
    press('王经理', cardKey(chat, pid, '王经理'), 'supervisor'),
    (f) => scores(f, '4', { c10_score: '0', c3_note: 'y'.repeat(501), c0_note: '目标达成' }),
    { c10_score: '请选择 1-5 分。', c3_note: '最多 500 个字符。' },
    (f) => scores(f, '4'),
  );
  await attempt(
    'review',
    '王经理',
    press('王经理', cardKey(chat, pid, '王经理'), 'review'),
    () => ({ plan: '  ', goals: 'z'.repeat(2001) }),
    { plan: '必填。', goals: '最多 2000 个字符。' },
    () => ({ plan: '每月复盘', goals: '2027 年目标' }),
  );
  expect(await participant(chat, '李员工')).toMatchObject({ stage: 'acknowledge', reviewPlan: '每月复盘' });
  expect(await chat.prisma.evaluationSubmission.count({ where: { participantId: pid } })).toBe(4);
}

export interface PrivacyCase {
  name: string;
  /** How the person asked: a command (answered in private) or a button on a card. */
  via: 'command' | 'button';
  run: (chat: EvalChat, pid: number) => Promise<Shown>;
  refusal: string;
  /** The refusal comes with what the person wrote themselves (their self-evaluation, their peer answer). */
  withOwnWriting?: true;
}

/** `who` presses the button labelled `label` on the card under the key `card` gives for the participant. */
const pressOn =
  (who: string, card: (chat: EvalChat, pid: number) => string, label: string) => (chat: EvalChat, pid: number) =>
    chat.press(who, card(chat, pid), label);
const supervisorsCard = (chat: EvalChat, pid: number) => cardKey(chat, pid, '王经理');

/** A case where `who` types `text` in a chat with the bot and is refused. */
const asking = (name: string, who: string, text: string, refusal: string): PrivacyCase => ({
  name,
  via: 'command',
  run: (chat) => chat.command(who, text),
  refusal,
});

/** Refusals once 李员工 is scored (annualScored with Carol's nomination left proposed: "Score now" past the deadline), before the review. */
export const PRIVACY_CASES: PrivacyCase[] = [
  asking(
    'a member asking for someone else’s result (zh-CN)',
    '李员工',
    'eval result {Bob Staff}',
    '您不是此次考核的相关人员。',
  ),
  asking(
    'a peer asking for the member’s result',
    'Bob Staff',
    'eval result {李员工}',
    'You can see only the evaluation you wrote.',
  ),
  asking(
    'a supervisor asking about someone outside their reports',
    '王经理',
    '考核 结果 {Bob Staff}',
    '您不是此次考核的相关人员。',
  ),
  asking(
    'the member asking for their result before the review',
    '李员工',
    'eval result',
    '考核沟通记录后才能查看此内容。',
  ),
  {
    name: 'a peer pressing Result on the supervisor’s card',
    via: 'button',
    run: pressOn('Bob Staff', supervisorsCard, '查看结果'),
    refusal: 'You can see only the evaluation you wrote.',
    withOwnWriting: true,
  },
  {
    name: 'the member pressing Result on their supervisor’s card before the review',
    via: 'button',
    run: pressOn('李员工', supervisorsCard, '查看结果'),
    refusal: '考核沟通记录后才能查看此内容。',
    withOwnWriting: true,
  },
  {
    name: 'someone outside the evaluation pressing Result on the supervisor’s card',
    via: 'button',
    run: pressOn('Sam Supervisor', supervisorsCard, '查看结果'),
    refusal: 'You are not part of this evaluation.',
  },
  {
    name: 'a peer pressing Record review on the supervisor’s card',
    via: 'button',
    run: pressOn('Bob Staff', supervisorsCard, '记录面谈'),
    refusal: 'You may not “Record review” in this evaluation.',
  },
  {
    name: 'a colleague pressing Approve on the supervisor’s nomination card',
    via: 'button',
    run: pressOn('Bob Staff', (chat, pid) => nominationKey(chat, pid, 'Carol Peer'), '同意'),
    refusal: 'You may not “Approve” in this evaluation.',
  },
];

/** Runs a privacy case and checks that nothing changed; returns what the person was shown. */
export async function refused(
  chat: EvalChat,
  c: PrivacyCase,
  pid: number,
): Promise<Extract<Shown, { kind: 'message' }>> {
  const { overallScore } = await chat.prisma.evaluationParticipant.findUniqueOrThrow({ where: { id: pid } });
  const shown = await changesNothing(chat, () => c.run(chat, pid));
  const text = expectMessage(shown);
  expect(text).toContain(c.refusal);
  // Nothing of the result comes with the refusal.
  for (const leak of [overallScore!.toFixed(1), '综合得分', 'Overall score']) expect(text).not.toContain(leak);
  return shown as Extract<Shown, { kind: 'message' }>;
}

/** Once scored and before the review, only the supervisor's card shows the score; the member's and the peer's do not. */
export async function scoreOnlyOnSupervisorsCard(chat: EvalChat, pid: number): Promise<void> {
  const score = (
    await chat.prisma.evaluationParticipant.findUniqueOrThrow({ where: { id: pid } })
  ).overallScore!.toFixed(1);
  const supervisors = await chat.card(cardKey(chat, pid, '王经理'));
  expect(supervisors!.text).toContain(score);
  expect(supervisors!.buttons).toContain('查看结果');
  for (const key of [cardKey(chat, pid, '李员工'), peerCardKey(chat, pid, 'Bob Staff')]) {
    const card = await chat.card(key);
    expect(card!.text).not.toContain(score);
    expect(card!.buttons).toEqual([]);
  }
}
