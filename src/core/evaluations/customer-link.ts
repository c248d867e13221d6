// Answering a customer's one-time link (customer-link-issuer.ts makes them): the form it may show, and its
// submission. A link is spent by the submission it carries: the answers go through
// EvaluationCycleService.recordCustomerSubmission (the same rules as every other answer: cycle open, member
// customer-facing, not yet scored), which marks the invite used by a conditional update in the transaction
// that saves them.
import {
  type CustomerLinkRepo,
  customerCriteria,
  hashToken,
  type LinkParticipant,
  type StoredInvite,
} from './customer-link-issuer.js';
import { customerKey, NOTE_MAX } from './cycles/forms.js';
import { ANSWERING } from './cycles/rules.js';
import type { CustomerRefusal } from './cycles/service.js';

export * from './customer-link-issuer.js';

/** The same limit as a comment in the chat forms (UTF-16 code units, as the browser's maxlength counts). */
export const CUSTOMER_COMMENT_MAX = NOTE_MAX;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * EvaluationCycleService.recordCustomerSubmission: saves the answers (raterKey c:name:<normalized customer name>, one answer per customer) and marks the
 * invite used in one transaction, or refuses and saves nothing.
 */
export type RecordCustomerAnswers = (
  participantId: number,
  customerName: string,
  scores: Record<string, number>,
  comments: Record<string, string>,
  now: Date,
  o: { inviteId: number },
) => Promise<{ ok: true } | { ok: false; reason: CustomerRefusal }>;

/**
 * finished: the member's evaluation takes no more customer answers (scored, or no longer customer-facing);
 * answered: this customer (by normalized name) answered already, by another link or in chat.
 */
export type RefusalReason = 'unknown' | 'expired' | 'used' | 'closed' | 'finished' | 'answered';

export type OpenedLink =
  | { ok: true; invite: StoredInvite; participant: LinkParticipant; criteria: ReturnType<typeof customerCriteria> }
  | { ok: false; reason: RefusalReason };

/** Field name → error code; '_form' for problems not tied to one field. */
export type CustomerFormErrors = Record<string, 'required' | 'invalid' | 'tooLong' | 'unknownField' | 'rejected'>;

export interface CustomerFormValues {
  scores: Record<string, string>;
  comments: Record<string, string>;
}

export type SubmitOutcome =
  | { kind: 'saved'; link: Extract<OpenedLink, { ok: true }> }
  | { kind: 'invalid'; link: Extract<OpenedLink, { ok: true }>; errors: CustomerFormErrors; values: CustomerFormValues }
  | { kind: 'refused'; reason: RefusalReason };

export interface CustomerLinkOptions {
  repo: CustomerLinkRepo;
  /** Where a valid answer is saved (EvaluationCycleService.recordCustomerSubmission). */
  record: RecordCustomerAnswers;
}

/** Fields the form may send besides the answers. */
const EXTRA_FIELDS = new Set(['lang']);

export class CustomerLinkService {
  constructor(private readonly o: CustomerLinkOptions) {}

  /** What the link may show now: the form, or why not. A malformed token reads as an unknown one. */
  async open(token: string, now: Date): Promise<OpenedLink> {
    if (!TOKEN_PATTERN.test(token)) return { ok: false, reason: 'unknown' };
    const invite = await this.o.repo.inviteByHash(hashToken(token));
    if (!invite) return { ok: false, reason: 'unknown' };
    if (invite.usedAt) return { ok: false, reason: 'used' };
    if (invite.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
    const participant = await this.o.repo.participant(invite.participantId);
    if (!participant) return { ok: false, reason: 'unknown' };
    if (participant.cycleStatus !== 'open') return { ok: false, reason: 'closed' };
    if (participant.cycleKind !== 'annual' || !participant.customerFacing || !ANSWERING.includes(participant.stage))
      return { ok: false, reason: 'finished' };
    if (participant.customerKeys?.includes(customerKey(invite.customerName))) {
      // Answered through this very link since the invite was read (a race of two), or by another way.
      const fresh = await this.o.repo.inviteByHash(hashToken(token));
      return { ok: false, reason: fresh?.usedAt ? 'used' : 'answered' };
    }
    return { ok: true, invite, participant, criteria: customerCriteria(participant.config) };
  }

  /** Validates every field; saves only a complete, valid form, once. */
  async submit(token: string, fields: ReadonlyArray<[string, string]>, now: Date): Promise<SubmitOutcome> {
    const link = await this.open(token, now);
    if (!link.ok) return { kind: 'refused', reason: link.reason };
    const { errors, values, scores, comments } = validateCustomerForm(link.criteria, fields);
    if (Object.keys(errors).length > 0) return { kind: 'invalid', link, errors, values };
    const r = await this.o.record(link.invite.participantId, link.invite.customerName, scores, comments, now, {
      inviteId: link.invite.id,
    });
    if (r.ok) return { kind: 'saved', link };
    switch (r.reason) {
      case 'unknown':
      case 'closed':
      case 'used':
      case 'expired':
        return { kind: 'refused', reason: r.reason };
      case 'already':
        // The same customer (by name) answered meanwhile through another link or in chat.
        return { kind: 'refused', reason: 'answered' };
      case 'invalid':
        // The form's checks are the service's (1-5, comment length), so this is not expected; nothing was saved.
        return {
          kind: 'invalid',
          link,
          errors: { _form: 'rejected' },
          values: { scores: Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, String(v)])), comments },
        };
      default:
        // Scored meanwhile, no longer customer-facing, or changed under the answer.
        return { kind: 'refused', reason: 'finished' };
    }
  }
}

/** score_<criterion>: one whole number 1-5, required; comment_<criterion>: optional, at most 1000 characters. */
export function validateCustomerForm(
  criteria: ReadonlyArray<{ key: string }>,
  fields: ReadonlyArray<[string, string]>,
) {
  const errors: CustomerFormErrors = {};
  const values: CustomerFormValues = { scores: {}, comments: {} };
  const seen = new Map<string, number>();
  const known = new Set(criteria.flatMap((c) => [`score_${c.key}`, `comment_${c.key}`]));
  for (const [name] of fields) {
    seen.set(name, (seen.get(name) ?? 0) + 1);
    if (!known.has(name) && !EXTRA_FIELDS.has(name)) errors._form = 'unknownField';
  }
  const one = (name: string): string | undefined => fields.find(([n]) => n === name)?.[1];
  const scores: Record<string, number> = {};
  const comments: Record<string, string> = {};
  for (const c of criteria) {
    const sName = `score_${c.key}`;
    const raw = one(sName);
    if (raw !== undefined) values.scores[c.key] = raw;
    if (raw === undefined || raw.trim() === '') errors[sName] = 'required';
    else if ((seen.get(sName) ?? 0) > 1 || !/^[1-5]$/.test(raw.trim())) errors[sName] = 'invalid';
    else scores[c.key] = Number(raw.trim());

    const cName = `comment_${c.key}`;
    const comment = (one(cName) ?? '').replace(/\r\n/g, '\n').trim();
    values.comments[c.key] = comment;
    if ((seen.get(cName) ?? 0) > 1) errors[cName] = 'invalid';
    else if (comment.length > CUSTOMER_COMMENT_MAX) errors[cName] = 'tooLong';
    else if (comment) comments[c.key] = comment;
  }
  return { errors, values, scores, comments };
}
