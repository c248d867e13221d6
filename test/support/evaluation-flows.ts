// Steps of an evaluation cycle as people take them in chat, written once for Slack and Feishu (EvalChat):
// open a cycle, nominate and decide peers, fill in each form from the card (or the command) that offers it,
// and check what the person then reads. Also: the score the configuration gives for uniform answers, and
// a snapshot of the evaluation tables for "nothing changed".
import { expect } from 'vitest';
import type { CycleKind, EvaluationConfig, RaterKind } from '../../src/core/evaluations/criteria.js';
import type { MessageKey } from '../../src/core/i18n/messages.js';
import { t } from '../../src/core/i18n/t.js';
import type { EvalChat, Shown, ShownForm, Submitted } from './evaluation-chat.js';
import { type PersonSpec, STANDARD_ORG } from './org.js';

/** The standard org with HR and a second member in 门店A (a peer for 李员工). */
export const EVAL_PEOPLE: PersonSpec[] = [
  ...STANDARD_ORG,
  { name: 'Helen HR', slack: 'UHR', feishu: 'ou_hr', role: 'hr', locale: 'en' },
  { name: 'Carol Peer', slack: 'UCAROL', feishu: 'ou_carol', role: 'member', dept: '门店A', locale: 'en' },
];

const memberId = (chat: EvalChat, name: string) => chat.people[name]!.id;
export const cardKey = (chat: EvalChat, pid: number, viewer: string) => `eval:${pid}:card:${memberId(chat, viewer)}`;
export const peerCardKey = (chat: EvalChat, pid: number, peer: string) => `eval:${pid}:peer:${memberId(chat, peer)}`;
export const nominationKey = (chat: EvalChat, pid: number, peer: string) => `eval:${pid}:nom:${memberId(chat, peer)}`;

/** A sentence as `who` reads it, in their language. */
export const say = (chat: EvalChat, who: string, key: string, params: Record<string, string | number> = {}) =>
  t(chat.people[who]!.locale, key as MessageKey, params);
/** The label of an evaluation button as `who` reads it. */
export const label = (chat: EvalChat, who: string, action: string) => say(chat, who, `evaluation.action.${action}`);

export const participant = (chat: EvalChat, name: string) =>
  chat.prisma.evaluationParticipant.findFirstOrThrow({
    where: { memberId: memberId(chat, name) },
    orderBy: { id: 'desc' },
  });

export function expectMessage(shown: Shown): string {
  if (shown.kind !== 'message') throw new Error(`expected a message, got the form “${shown.form.title}”`);
  return shown.text;
}

export function expectForm(shown: Shown): ShownForm {
  if (shown.kind !== 'form') throw new Error(`expected a form, got “${shown.text}”`);
  return shown.form;
}

/** Every score select of the form at `score`, plus `extra`. */
export function scores(form: ShownForm, score: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...Object.fromEntries(form.fields.filter((f) => f.id.endsWith('_score')).map((f) => [f.id, score])),
    ...extra,
  };
}

export const scoreFields = (form: ShownForm) => form.fields.filter((f) => f.id.endsWith('_score')).map((f) => f.id);

/** Submits and expects the form saved; returns the notice. */
export async function submitSaved(
  chat: EvalChat,
  who: string,
  form: ShownForm,
  values: Record<string, string>,
): Promise<string> {
  const r: Submitted = await chat.submit(who, form, values);
  if (r.kind !== 'notice') throw new Error(`expected the form saved, got errors ${JSON.stringify(r.errors)}`);
  expect(r.text).toContain(say(chat, who, 'evaluation.saved', { stage: '\u0000' }).split('\u0000')[0]);
  return r.text;
}

/** The evaluation rows a refused or invalid step must leave as they were (and the messages queued). */
export async function evaluationState(chat: EvalChat) {
  const p = chat.prisma;
  return {
    cycles: await p.evaluationCycle.findMany({ orderBy: { id: 'asc' } }),
    participants: await p.evaluationParticipant.findMany({ orderBy: { id: 'asc' } }),
    submissions: await p.evaluationSubmission.findMany({ orderBy: { id: 'asc' } }),
    nominations: await p.peerNomination.findMany({ orderBy: { id: 'asc' } }),
    invites: await p.customerInvite.count(),
    outbox: await p.outboxMessage.count(),
  };
}

/** Runs a step that must change nothing in the evaluation tables, and returns what it answered. */
export async function changesNothing<T>(chat: EvalChat, step: () => Promise<T>): Promise<T> {
  const before = await evaluationState(chat);
  const out = await step();
  expect(await evaluationState(chat)).toEqual(before);
  return out;
}

// ---- steps ---------------------------------------------------------------------------------------------

/** HR opens the annual cycle 2026 for these departments; each member gets a card with the self-evaluation button. */
export async function openAnnual(chat: EvalChat, depts: string[]): Promise<void> {
  const text = expectMessage(
    await chat.command('Helen HR', `eval open annual ${depts.map((d) => `dept ${d}`).join(' ')} deadline 2027-01-15`),
  );
  expect(text).toContain('Opened the annual evaluation 2026 for');
  // The deadline is the end of working hours (18:00) on that day in HR's zone (Shanghai).
  const cycle = await chat.prisma.evaluationCycle.findFirstOrThrow({ where: { kind: 'annual', name: '2026' } });
  expect(cycle.deadline.toISOString()).toBe('2027-01-15T10:00:00.000Z');
  await chat.settle();
}

/** The member fills in the self-evaluation from their card. */
export async function selfEvaluate(
  chat: EvalChat,
  who: string,
  score: string,
  extra: Record<string, string> = {},
): Promise<void> {
  const p = await participant(chat, who);
  const form = expectForm(await chat.press(who, cardKey(chat, p.id, who), label(chat, who, 'self')));
  expect(form.title).toBe(say(chat, who, 'evaluation.form.title.self'));
  expect(await submitSaved(chat, who, form, scores(form, score, extra))).toContain(
    say(chat, who, 'evaluation.stage.supervisor'),
  );
  await chat.settle();
}

/** The member nominates peers (eval peers); their supervisor gets a card per nomination with approve and decline. */
export async function nominate(chat: EvalChat, who: string, peers: string[], supervisor: string): Promise<void> {
  const p = await participant(chat, who);
  const answer = expectMessage(await chat.command(who, `eval peers ${peers.map((x) => `{${x}}`).join(' ')}`));
  expect(answer).toContain(say(chat, who, 'evaluation.peers.done', { names: peers.join(', '), supervisor }));
  await chat.settle();
  for (const peer of peers) {
    const card = await chat.card(nominationKey(chat, p.id, peer));
    expect(card?.text).toContain(
      say(chat, supervisor, 'evaluation.nomination.proposed', { member: who, peer, period: '2026' }),
    );
    expect(card?.buttons).toEqual([label(chat, supervisor, 'approve'), label(chat, supervisor, 'decline')]);
  }
}

/** The supervisor approves or declines a nomination on its card; the card is updated in place, without buttons. */
export async function decide(
  chat: EvalChat,
  supervisor: string,
  who: string,
  peer: string,
  action: 'approve' | 'decline',
): Promise<void> {
  const p = await participant(chat, who);
  const status = action === 'approve' ? 'approved' : 'declined';
  const sentence = say(chat, supervisor, `evaluation.nomination.${status}`, { member: who, peer, period: '2026' });
  expect(
    expectMessage(await chat.press(supervisor, nominationKey(chat, p.id, peer), label(chat, supervisor, action))),
  ).toContain(sentence);
  await chat.settle();
  const card = await chat.card(nominationKey(chat, p.id, peer));
  expect(card).toMatchObject({ buttons: [], versions: 2 });
  expect(card!.text).toContain(sentence);
  const peerCard = await chat.card(peerCardKey(chat, p.id, peer));
  if (action === 'approve') expect(peerCard?.buttons).toEqual([label(chat, peer, 'peer')]);
  else expect(peerCard).toBeNull();
}

/** An approved peer evaluates from their card: only the criteria peers answer, and no self scores beside them. */
export async function peerEvaluate(chat: EvalChat, peer: string, who: string, score: string): Promise<string> {
  const p = await participant(chat, who);
  const form = expectForm(await chat.press(peer, peerCardKey(chat, p.id, peer), label(chat, peer, 'peer')));
  expect(form.title).toBe(say(chat, peer, 'evaluation.form.title.peer'));
  expect(scoreFields(form)).toEqual(['c4_score', 'c6_score', 'c7_score', 'c8_score', 'c9_score']);
  const text = await submitSaved(chat, peer, form, scores(form, score));
  await chat.settle();
  return text;
}

/** The account owner opens the customer form with `eval customer @member` and records one customer's answers. */
export async function recordCustomer(
  chat: EvalChat,
  owner: string,
  who: string,
  customer: string,
  score: string,
): Promise<void> {
  const form = expectForm(await chat.command(owner, `eval customer {${who}}`));
  expect(form.title).toBe(say(chat, owner, 'evaluation.form.title.customer'));
  // The customer's name, then the criteria customers answer: satisfaction and communication.
  expect(form.fields[0]).toMatchObject({ id: 'customer' });
  expect(scoreFields(form)).toEqual(['c2_score', 'c4_score']);
  await submitSaved(chat, owner, form, scores(form, score, { customer }));
  await chat.settle();
}

/** The supervisor evaluates from their card; the self scores are shown beside each criterion. Returns the notice. */
export async function superviseEvaluate(
  chat: EvalChat,
  supervisor: string,
  who: string,
  score: string,
  selfHint: string,
): Promise<string> {
  const p = await participant(chat, who);
  const form = expectForm(
    await chat.press(supervisor, cardKey(chat, p.id, supervisor), label(chat, supervisor, 'supervisor')),
  );
  expect(form.title).toBe(say(chat, supervisor, 'evaluation.form.title.supervisor'));
  expect(scoreFields(form)).toHaveLength(11);
  expect(form.text).toContain(selfHint);
  const text = await submitSaved(chat, supervisor, form, scores(form, score));
  await chat.settle();
  return text;
}

/** The supervisor records the review conversation from their card. */
export async function recordReview(
  chat: EvalChat,
  supervisor: string,
  who: string,
  plan: string,
  goals: string,
): Promise<void> {
  const p = await participant(chat, who);
  const form = expectForm(
    await chat.press(supervisor, cardKey(chat, p.id, supervisor), label(chat, supervisor, 'review')),
  );
  expect(form.fields.map((f) => f.id)).toEqual(['plan', 'goals']);
  expect(await submitSaved(chat, supervisor, form, { plan, goals })).toContain(
    say(chat, supervisor, 'evaluation.stage.acknowledge'),
  );
  await chat.settle();
}

/**
 * 李员工's annual evaluation up to its score (stage review): self 5, peers Bob Staff (3) approved and Carol
 * Peer declined or left proposed, supervisor 4. Departments 门店A and 门店B take part. With Carol left
 * proposed the evaluation waits for the decision; past the deadline the supervisor presses "Score now".
 */
export async function annualScored(chat: EvalChat, o: { carol: 'decline' | 'proposed' }): Promise<void> {
  await openAnnual(chat, ['门店A', '门店B']);
  await selfEvaluate(chat, '李员工', '5');
  await nominate(chat, '李员工', ['Bob Staff', 'Carol Peer'], '王经理');
  await decide(chat, '王经理', '李员工', 'Bob Staff', 'approve');
  if (o.carol === 'decline') await decide(chat, '王经理', '李员工', 'Carol Peer', 'decline');
  await peerEvaluate(chat, 'Bob Staff', '李员工', '3');
  // With Carol left proposed, the deadline is made to pass first, so that the supervisor's card offers "Score now".
  if (o.carol === 'proposed')
    await chat.prisma.evaluationCycle.updateMany({
      where: { kind: 'annual', name: '2026' },
      data: { deadline: new Date(chat.now().getTime() - 60_000) },
    });
  await superviseEvaluate(chat, '王经理', '李员工', '4', '自评：5');
  if (o.carol === 'proposed') {
    // A nomination still waits for the supervisor's decision: no score on its own.
    const p = await participant(chat, '李员工');
    expect(p).toMatchObject({ stage: 'supervisor', overallScore: null });
    expectMessage(await chat.press('王经理', cardKey(chat, p.id, '王经理'), label(chat, '王经理', 'finalize')));
    await chat.settle();
  }
  expect(await participant(chat, '李员工')).toMatchObject({ stage: 'review' });
}

// ---- what the configuration says ---------------------------------------------------------------------

const round1 = (x: number) => Math.round(Number((x * 10).toFixed(6))) / 10;

/**
 * The score the configuration gives when each rater kind answers every criterion asked of it with `answers[kind]`
 * (several raters of a kind: their mean), no supervision points: a criterion is the rater-weighted mean of the kinds
 * that answered it (answer / 5 × 100), a dimension the criterion-weighted sum, the overall the dimension-weighted
 * sum, one decimal at each step; the grade is the first whose minimum the overall reaches.
 */
export function configuredScore(
  config: EvaluationConfig,
  cycle: CycleKind,
  answers: Partial<Record<RaterKind, number>>,
) {
  const weights: Partial<Record<RaterKind, number>> = config.raterWeights[cycle];
  const dimensions = config.dimensions.map((d) => {
    const criteria = d.criteria.map((c) => {
      const kinds = (Object.keys(answers) as RaterKind[]).filter((k) => c.raters.includes(k) && (weights[k] ?? 0) > 0);
      const total = kinds.reduce((n, k) => n + weights[k]!, 0);
      return round1(kinds.reduce((n, k) => n + ((answers[k]! / 5) * 100 * weights[k]!) / total, 0));
    });
    return round1(d.criteria.reduce((n, c, i) => n + (c.weight * criteria[i]!) / 100, 0));
  });
  const overall = round1(config.dimensions.reduce((n, d, i) => n + (d.weight * dimensions[i]!) / 100, 0));
  return { dimensions, overall, grade: config.grades.find((g) => overall >= g.min)! };
}
