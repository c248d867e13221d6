// Issuing one-time links for a customer to evaluate a member without a chat account (issue 4, annual cycles).
// The link carries 32 random bytes (base64url); only their SHA-256 is stored, so a database reader cannot
// rebuild a link. It works until it expires (14 days by default) and is spent by the submission it carries
// (customer-link.ts, which answers it). This module imports nothing of the cycles at run time, so that the
// cycles can make links (`eval link`) and the answers can go through the cycles without an import circle.
import { createHash, randomBytes } from 'node:crypto';
import type { Locale } from '../ports.js';
import type { CycleKind, EvaluationConfig, EvaluationCriterion } from './criteria.js';
import type { Stage } from './cycles/types.js';

export const CUSTOMER_LINK_TTL_MS = 14 * 24 * 3_600_000;
export const CUSTOMER_NAME_MAX = 100;

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

/** A link as saved: only the token's hash is kept, so a stolen database holds no working links. */
export interface NewInvite {
  participantId: number;
  customerName: string;
  tokenHash: string;
  expiresAt: Date;
  createdById: number;
  createdAt: Date;
}

export interface CustomerLinkRepo {
  participant(participantId: number): Promise<LinkParticipant | null>;
  createInvite(row: NewInvite): Promise<{ id: number }>;
  inviteByHash(tokenHash: string): Promise<StoredInvite | null>;
}

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

export interface CustomerLinkIssuerOptions {
  repo: Pick<CustomerLinkRepo, 'participant' | 'createInvite'>;
  /** DUDAO_PUBLIC_URL; without it links cannot be made (the form still answers links made before). */
  publicUrl?: string;
  ttlMs?: number;
  randomToken?: () => string;
}

export class CustomerLinkIssuer {
  constructor(private readonly o: CustomerLinkIssuerOptions) {}

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
}
