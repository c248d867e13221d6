// A participant's steps: the rating forms (self, supervisor, peer, customer on their behalf) and the review
// form, opened from a card's button and submitted; acknowledge and score-now, which are buttons without a
// form; and the answers of one rater, however they came in (customers.ts records a customer's web answers
// here too). Each step is checked with mayAct again on submit, since the form may have waited while the cycle
// moved on, and applied in one transition with the cards and notices it causes (cards.ts).

import type { FormSubmitInput } from '../../facade.js';
import type { MessageKey } from '../../i18n/messages.js';
import { t } from '../../i18n/t.js';
import type { Member, Platform } from '../../ports.js';
import { keptAnswers, sentBack } from '../../views/forms.js';
import type { FormOutcome, Reply } from '../../views/types.js';
import type { RaterKind } from '../criteria.js';
import { customerCriteria } from '../customer-link-issuer.js';
import { type RaterSubmission, type Submissions, scoreEvaluation } from '../scoring.js';
import { notifications } from './cards.js';
import type { CycleContext } from './context.js';
import {
  type CleanRating,
  customerKey,
  EVAL_FORM_PREFIX,
  parseFormId,
  type RatingFormContext,
  ratingForm,
  reviewForm,
  validateRating,
  validateReview,
} from './forms.js';
import { ANSWERING, type EvalAction, type ParticipantState, readyToScore } from './rules.js';
import {
  bumpsVersion,
  type ParticipantPatch,
  type ParticipantRecord,
  type ParticipantTransition,
  type SubmissionRecord,
} from './types.js';
import { refused, saved, say } from './views.js';

/** The steps that open a form. */
export type FormAction = 'self' | 'supervisor' | 'peer' | 'customer' | 'review';
export const FORM_ACTIONS: readonly FormAction[] = ['self', 'supervisor', 'peer', 'customer', 'review'];
const isFormAction = (s: string): s is FormAction => (FORM_ACTIONS as readonly string[]).includes(s);

/** The rating form of a participant; the supervisor's shows the member's self-evaluation beside each criterion. */
async function ratingContext(
  c: CycleContext,
  s: ParticipantState,
  kind: RaterKind,
  memberName: string,
  me: Member,
): Promise<RatingFormContext> {
  const config = await c.config(s.cycle.configVersionId);
  const self = kind === 'supervisor' ? (s.submissions.find((x) => x.raterKind === 'self') ?? null) : undefined;
  return { config, kind, participant: s.participant, memberName, period: s.cycle.name, locale: me.locale, self };
}

export class CycleSteps {
  constructor(private readonly c: CycleContext) {}

  async openForm(me: Member, action: FormAction, id: number, now: Date): Promise<Reply> {
    const s = await this.c.allowed(me, action, id, now);
    if (typeof s === 'string') return say(s);
    const p = s.participant;
    const name = await this.c.memberName(p.memberId);
    if (action === 'review') return { kind: 'form', form: reviewForm(p, name, s.cycle.name, me.locale) };
    return { kind: 'form', form: ratingForm(await ratingContext(this.c, s, action, name, me)) };
  }

  /** A rating or review form (`eval.<kind>`). */
  async submit(me: Member, i: FormSubmitInput): Promise<FormOutcome> {
    const { values: raw, now } = i;
    const platform = i.actor.platform;
    const kind = i.formType.slice(EVAL_FORM_PREFIX.length);
    const ref = parseFormId(i.formId);
    if (!ref || !isFormAction(kind)) return refused(t(me.locale, 'inspect.err.expired', { dept: '…' }));
    const action = kind;
    const s = await this.c.allowed(me, action, ref.id, now);
    if (typeof s === 'string') return refused(s);
    const p = s.participant;
    // Self, supervisor and review are one-off steps decided on the state the form was opened at.
    if ((action === 'self' || action === 'supervisor' || action === 'review') && p.version !== ref.version)
      return refused(t(me.locale, 'evaluation.refuse.stale'));
    const name = await this.c.memberName(p.memberId);
    const kept = keptAnswers(raw);

    if (action === 'review') {
      const { clean, errors } = validateReview(me.locale, raw);
      const back = sentBack(me.locale, errors, () => reviewForm(p, name, s.cycle.name, me.locale, kept, errors));
      if (back) return back;
      const patch: ParticipantPatch = {
        stage: 'acknowledge',
        reviewedAt: now,
        reviewPlan: clean.plan,
        nextGoals: clean.goals,
        nextReminderAt: now,
      };
      return this.apply(me, s, { participantId: p.id, expectedVersion: p.version, patch }, platform, now, 'review');
    }

    const form = await ratingContext(this.c, s, action, name, me);
    const { clean, errors } = validateRating({ config: form.config, kind: action, locale: me.locale }, raw);
    return (
      sentBack(me.locale, errors, () => ratingForm(form, kept, errors)) ??
      this.rate(me, s, action, clean, platform, now)
    );
  }

  /** Acknowledge (member) and score-now (annual, after the deadline): buttons without a form. */
  async quickStep(me: Member, action: 'ack' | 'finalize', id: number, platform: Platform, now: Date): Promise<Reply> {
    const s = await this.c.allowed(me, action, id, now);
    if (typeof s === 'string') return say(s);
    const p = s.participant;
    const patch: ParticipantPatch =
      action === 'ack' ? { stage: 'done', acknowledgedAt: now, nextReminderAt: null } : await this.score(s, now);
    // A score counts the answers it was computed on: one arriving meanwhile makes it stale (click again).
    const out = await this.apply(
      me,
      s,
      {
        participantId: p.id,
        expectedVersion: p.version,
        patch,
        ...(action === 'finalize' ? { expectedSubmissions: s.submissions.length } : {}),
      },
      platform,
      now,
      action,
    );
    if (out.kind === 'refused') return say(out.message);
    // A button's card is updated in place by the outbox: the answer is the saved line alone (a toast on Feishu).
    return out.kind === 'done' ? say(out.message.text, 'success') : say('');
  }

  /**
   * Records one rater's answers and moves the participant on (scoring when everything needed is in). Self and
   * supervisor apply on the version the form was opened at; peers and customers answer side by side, so theirs
   * only need the participant still answering (and an unused invite, for a customer's web link).
   */
  async rate(
    me: Member | null,
    s: ParticipantState,
    kind: RaterKind,
    clean: CleanRating,
    platform: Platform,
    now: Date,
    raterKey?: string,
    inviteId?: number,
  ): Promise<FormOutcome> {
    const p = s.participant;
    const submission: Omit<SubmissionRecord, 'id' | 'participantId'> = {
      raterKind: kind,
      raterKey: raterKey ?? (kind === 'customer' ? customerKey(clean.customer ?? '') : `m:${me!.id}`),
      raterMemberId: kind === 'customer' ? null : (me?.id ?? null),
      raterLabel: kind === 'customer' ? (clean.customer ?? null) : null,
      scores: clean.scores,
      comments: clean.comments,
      submittedAt: now,
    };
    const withIt: ParticipantState = {
      ...s,
      submissions: [...s.submissions, { ...submission, id: 0, participantId: p.id }],
    };
    const patch: ParticipantPatch =
      kind === 'self'
        ? { stage: 'supervisor', selfAt: now, nextReminderAt: now }
        : kind === 'supervisor'
          ? { supervisorAt: now, nextReminderAt: now }
          : {};
    const moved: ParticipantState = { ...withIt, participant: { ...p, ...patch } };
    const input: Omit<ParticipantTransition, 'outbox'> =
      kind === 'self' || kind === 'supervisor'
        ? { participantId: p.id, expectedVersion: p.version, patch, submission }
        : {
            participantId: p.id,
            expectedStages: ANSWERING,
            patch,
            submission,
            ...(inviteId !== undefined ? { spendInvite: { id: inviteId } } : {}),
          };
    if (kind !== 'self' && moved.participant.stage === 'supervisor' && (await this.ready(moved))) {
      // The last answer: saved and scored in one step, unless another answer arrived since the state the score
      // was computed on; then this one is saved alone and the score judged again on what is stored.
      const scored = await this.apply(
        me,
        withIt,
        {
          ...input,
          patch: { ...patch, ...(await this.score(moved, now)) },
          expectedSubmissions: withIt.submissions.length,
        },
        platform,
        now,
        kind,
      );
      if (scored.kind !== 'refused') return scored;
    }
    const out = await this.apply(me, withIt, input, platform, now, kind);
    if (out.kind !== 'done' || kind === 'self') return out;
    // Judged on the snapshot read before the save, which may lack an answer saved meanwhile by someone else
    // (the supervisor and the last peer submitting at once): judge again on what is stored now.
    const scored = await this.finalize(p.id, me, platform, now);
    if (scored.stage !== 'review') return out;
    // Scored just now: the actor's card as scoring left it (or as their answer left it, when a racing step scored).
    const l = me?.locale ?? 'en';
    const drawn = scored.out?.kind === 'done' ? scored.out : out;
    return saved(t(l, 'evaluation.saved', { stage: t(l, 'evaluation.stage.review') }), {
      text: '',
      blocks: drawn.message.blocks.slice(1),
    });
  }

  /**
   * Scores the participant if everything needed is in, on a fresh read of its answers and nominations: after
   * any step that may complete it (an answer, a decision on a nomination, customer-facing turned off). Of two
   * steps racing to score, the stage guard (still 'supervisor') lets one win. Returns the stage it is then at.
   */
  async scoreIfReady(
    participantId: number,
    me: Member | null,
    platform: Platform,
    now: Date,
  ): Promise<ParticipantRecord['stage'] | null> {
    return (await this.finalize(participantId, me, platform, now)).stage;
  }

  /** scoreIfReady, with the outcome of the scoring step when this call was the one that scored. */
  private async finalize(
    participantId: number,
    me: Member | null,
    platform: Platform,
    now: Date,
  ): Promise<{ stage: ParticipantRecord['stage'] | null; out?: FormOutcome }> {
    const p = await this.c.repo.participantById(participantId);
    if (p?.stage !== 'supervisor') return { stage: p?.stage ?? null };
    const s = await this.c.state(p);
    if (s.cycle.status !== 'open' || !(await this.ready(s))) return { stage: p.stage };
    // Scored on these answers only if no other arrived meanwhile; if one did, its own step scores it.
    const out = await this.apply(
      me,
      s,
      {
        participantId: p.id,
        expectedStages: ['supervisor'],
        expectedSubmissions: s.submissions.length,
        patch: await this.score(s, now),
      },
      platform,
      now,
      'finalize',
    );
    if (out.kind === 'done') return { stage: 'review', out };
    return { stage: (await this.c.repo.participantById(participantId))?.stage ?? null };
  }

  /** readyToScore, told whether this cycle's configuration asks customers anything. */
  private async ready(s: ParticipantState): Promise<boolean> {
    const config = await this.c.config(s.cycle.configVersionId);
    return readyToScore(s, { customersAsked: customerCriteria(config).length > 0 });
  }

  /** The score as of `now`: the supervision record is judged at min(now, the period's end), in the period's zone (the opener's). */
  private async score(s: ParticipantState, now: Date): Promise<ParticipantPatch> {
    const config = await this.c.config(s.cycle.configVersionId);
    const by: Submissions = {};
    for (const x of s.submissions) {
      const list = (by[x.raterKind] ?? []) as RaterSubmission[];
      list.push({
        ...(x.raterMemberId !== null ? { raterId: x.raterMemberId } : {}),
        scores: x.scores,
        comments: x.comments,
      });
      by[x.raterKind] = list;
    }
    const stored =
      config.supervision && s.participant.departmentId !== null
        ? await this.c.repo.supervisionRecord(s.participant.departmentId, s.cycle.periodStart, s.cycle.periodEnd)
        : null;
    const zone = stored ? (await this.c.org.memberById(s.cycle.openedById))?.timeZone : undefined;
    const record = stored ? { ...stored, asOf: now, ...(zone ? { zone } : {}) } : null;
    const result = scoreEvaluation(config, s.cycle.kind, by, record);
    return { stage: 'review', overallScore: result.overall, grade: result.grade.label, result };
  }

  /** Applies a step with its notifications; answers the actor with their card. */
  private async apply(
    me: Member | null,
    s: ParticipantState,
    input: Omit<ParticipantTransition, 'outbox'>,
    platform: Platform,
    now: Date,
    step: EvalAction | 'customer',
  ): Promise<FormOutcome> {
    const projected: ParticipantState = {
      ...s,
      participant: { ...s.participant, ...input.patch, version: s.participant.version + (bumpsVersion(input) ? 1 : 0) },
    };
    const outbox = await notifications(this.c.org, projected, me, platform, {
      step,
      previous: s.participant.stage,
      tag: `${step}${input.submission?.raterKey ?? ''}`,
      now,
    });
    const r = await this.c.repo.transition({ ...input, outbox }, now);
    const l = me?.locale ?? 'en';
    if (!r.ok && r.reason === 'duplicate' && me && input.submission?.raterKind === 'customer')
      // One answer per customer (raterKey by normalized name), however it came in: chat or a link.
      return refused(
        t(me.locale, 'evaluation.customer.already', {
          customer: input.submission.raterLabel ?? '',
          period: s.cycle.name,
          name: await this.c.memberName(s.participant.memberId),
        }),
      );
    if (!r.ok) return refused(me ? this.c.failure(me, r.reason, step) : r.reason);
    // The actor's own card comes with the answer: on Feishu the answer replaces the card they submitted on,
    // which would otherwise read as a bare "saved" line until the outbox's update of that card arrives.
    const p = s.participant.id;
    const mine = me
      ? outbox.find((o) => o.refKey === `eval:${p}:card:${me.id}` || o.refKey === `eval:${p}:peer:${me.id}`)
      : undefined;
    return saved(
      t(l, 'evaluation.saved', { stage: t(l, `evaluation.stage.${r.participant.stage}` as MessageKey) }),
      mine?.message,
    );
  }
}
