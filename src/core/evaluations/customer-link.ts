// A one-time link for a customer to evaluate a member without a chat account (issue 4, annual cycles).
// The link carries 32 random bytes (base64url); only their SHA-256 is stored, so a database reader cannot
// rebuild a link. A link works until it expires (14 days by default) and is spent by the submission it
// carries: the answers go through EvaluationCycleService.recordCustomerSubmission (the same rules as every
// other answer: cycle open, member customer-facing, not yet scored), which marks the invite used by a
// conditional update in the transaction that saves them.
import { createHash, randomBytes } from 'node:crypto';
import type { Locale } from '../ports.js';
import type { CycleKind, EvaluationConfig, EvaluationCriterion } from './criteria.js';
import { customerKey, NOTE_MAX } from './cycles/forms.js';
import { ANSWERING } from './cycles/rules.js';
import type { CustomerRefusal } from './cycles/service.js';
import type { Stage } from './cycles/types.js';

export const CUSTOMER_LINK_TTL_MS = 14 * 24 * 3_600_000;
export const CUSTOMER_NAME_MAX = 100;
/** The same limit as a comment in the chat forms (UTF-16 code units, as the browser's maxlength counts). */
export const CUSTOMER_COMMENT_MAX = NOTE_MAX;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export interface LinkParticipant {
  participantId: number;
  memberName: string;
  cycleKind: CycleKind;
  cycleName: string;
  cycleStatus: string;
  customerFacing: boolean;
  stage: Stage;
  config: EvaluationConfig;
  /** Rater keys of the customers who answered already (`c:name:<normalized name>`, forms.ts customerKey). */
  customerKeys?: readonly string[];
}

export interface StoredInvite {
  id: number;
  participantId: number;
  customerName: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface CustomerLinkRepo {
  participant(participantId: number): Promise<LinkParticipant | null>;
  createInvite(row: {
    participantId: number;
    customerName: string;
    tokenHash: string;
    expiresAt: Date;
    createdById: number;
    createdAt: Date;
  }): Promise<{ id: number }>;
  inviteByHash(tokenHash: string): Promise<StoredInvite | null>;
}

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

export type CustomerLinkErrorCode =
  | 'no-public-url'
  | 'unknown-participant'
  | 'not-annual'
  | 'not-customer-facing'
  | 'cycle-closed'
  | 'no-customer-criteria'
  | 'invalid-name';

const ERROR_TEXT: Record<CustomerLinkErrorCode, { en: string; zh: string }> = {
  'no-public-url': {
    en: "Customer links need the bot's public address: ask the operator to set DUDAO_PUBLIC_URL (see .env.example).",
    zh: '客户评价链接需要机器人的公网地址：请管理员设置 DUDAO_PUBLIC_URL（见 .env.example）。',
  },
  'unknown-participant': { en: 'This member is not part of that evaluation cycle.', zh: '该员工不在此考核周期中。' },
  'not-annual': { en: 'Customers evaluate only in annual cycles.', zh: '客户评价仅用于年度考核。' },
  'not-customer-facing': {
    en: 'This member is not marked as customer-facing in this cycle.',
    zh: '该员工在本周期中未标记为面向客户的岗位。',
  },
  'cycle-closed': { en: 'This evaluation cycle is closed.', zh: '此考核周期已关闭。' },
  'no-customer-criteria': {
    en: 'The evaluation criteria of this cycle ask customers nothing.',
    zh: '本周期的考核标准中没有需要客户评价的项目。',
  },
  'invalid-name': {
    en: `Give the customer's name (at most ${CUSTOMER_NAME_MAX} characters).`,
    zh: `请填写客户名称（最多 ${CUSTOMER_NAME_MAX} 个字符）。`,
  },
};

export class CustomerLinkError extends Error {
  constructor(readonly code: CustomerLinkErrorCode) {
    super(ERROR_TEXT[code].en);
    this.name = 'CustomerLinkError';
  }
  /** The reason in the reader's language, for the chat command's answer. */
  text(locale: Locale): string {
    return locale === 'zh-CN' ? ERROR_TEXT[this.code].zh : ERROR_TEXT[this.code].en;
  }
}

export interface CreatedLink {
  inviteId: number;
  url: string;
  expiresAt: Date;
}

/** The criteria a customer is asked, in the configuration's order; none when customers carry no weight. */
export function customerCriteria(config: EvaluationConfig): Array<EvaluationCriterion & { dimensionKey: string }> {
  if ((config.raterWeights.annual.customer ?? 0) <= 0) return [];
  return config.dimensions.flatMap((d) =>
    d.criteria.filter((c) => c.raters.includes('customer')).map((c) => ({ ...c, dimensionKey: d.key })),
  );
}

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
  /** DUDAO_PUBLIC_URL; without it links cannot be made (the form still answers links made before). */
  publicUrl?: string;
  ttlMs?: number;
  randomToken?: () => string;
}

/** Fields the form may send besides the answers. */
const EXTRA_FIELDS = new Set(['lang']);

export class CustomerLinkService {
  constructor(private readonly o: CustomerLinkOptions) {}

  /** For the chat command `eval link <@member> "<customer name>"`: a new one-time link for one customer. */
  async createCustomerLink(
    participantId: number,
    customerName: string,
    createdById: number,
    now: Date,
  ): Promise<CreatedLink> {
    const base = this.o.publicUrl?.replace(/\/+$/, '');
    if (!base) throw new CustomerLinkError('no-public-url');
    const name = customerName.trim();
    if (name.length === 0 || name.length > CUSTOMER_NAME_MAX) throw new CustomerLinkError('invalid-name');
    const p = await this.o.repo.participant(participantId);
    if (!p) throw new CustomerLinkError('unknown-participant');
    if (p.cycleStatus !== 'open') throw new CustomerLinkError('cycle-closed');
    if (p.cycleKind !== 'annual') throw new CustomerLinkError('not-annual');
    if (!p.customerFacing) throw new CustomerLinkError('not-customer-facing');
    if (customerCriteria(p.config).length === 0) throw new CustomerLinkError('no-customer-criteria');
    const token = this.o.randomToken?.() ?? randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + (this.o.ttlMs ?? CUSTOMER_LINK_TTL_MS));
    const { id } = await this.o.repo.createInvite({
      participantId,
      customerName: name,
      tokenHash: hashToken(token),
      expiresAt,
      createdById,
      createdAt: now,
    });
    return { inviteId: id, url: `${base}/eval/c/${token}`, expiresAt };
  }

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
