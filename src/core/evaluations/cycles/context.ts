// What every part of the cycle service (lifecycle.ts, steps.ts, nominations.ts, customers.ts, queries.ts)
// works with: the dependencies, the configuration a cycle was opened with, a participant's state, the cycle
// a command names, and the texts that say why a step was refused. Configuration versions are cached because
// a stored version never changes, and every step of every participant reads its cycle's.

import type { MessageKey } from '../../i18n/messages.js';
import { t } from '../../i18n/t.js';
import type { OrgService } from '../../org/service.js';
import type { Member, OutboxRepo } from '../../ports.js';
import type { DayCalendar } from '../../shared/working-day.js';
import { DEFAULT_EVALUATION_CONFIG, type EvaluationConfig, validateEvaluationConfig } from '../criteria.js';
import type { CustomerLinkIssuer } from '../customer-link-issuer.js';
import type { SummarySource } from '../summary.js';
import { type EvalAction, mayAct, type ParticipantState, type Refusal } from './rules.js';
import type { CycleRecord, EvaluationRepo, ParticipantRecord, TransitionFailure } from './types.js';

export interface EvaluationDeps {
  repo: EvaluationRepo;
  org: OrgService;
  /** Working days for the default deadline and a chosen one (the reminder calendar); plain +7 days without it. */
  calendar?: DayCalendar | null;
  /** Local time a deadline date ends (the end of working hours). */
  endOfDay: string;
  configKey?: string;
  /** One-time customer links for `eval link` (customer-link-issuer.ts). */
  links?: Pick<CustomerLinkIssuer, 'createCustomerLink'>;
  /** The cycle summary for `eval summary` (summary.ts; src/store/evaluation-summary-repo.ts). */
  summaries?: SummarySource;
  /** Where `eval export` queues its request (export-command.ts). */
  outbox?: Pick<OutboxRepo, 'enqueue'>;
}

export class CycleContext {
  readonly repo: EvaluationRepo;
  readonly org: OrgService;
  private readonly configs = new Map<number, EvaluationConfig>();

  constructor(readonly d: EvaluationDeps) {
    this.repo = d.repo;
    this.org = d.org;
  }

  get configKey(): string {
    return this.d.configKey ?? DEFAULT_EVALUATION_CONFIG.key;
  }

  async config(id: number): Promise<EvaluationConfig> {
    let c = this.configs.get(id);
    if (!c) {
      const stored = await this.repo.configById(id);
      if (!stored) throw new Error(`evaluation config version ${id} is missing`);
      c = validateEvaluationConfig(stored.content);
      this.configs.set(id, c);
    }
    return c;
  }

  async state(p: ParticipantRecord, cycle?: CycleRecord | null): Promise<ParticipantState> {
    const [c, submissions, nominations] = await Promise.all([
      cycle ? Promise.resolve(cycle) : this.repo.cycleById(p.cycleId),
      this.repo.submissions(p.id),
      this.repo.nominations(p.id),
    ]);
    if (!c) throw new Error(`cycle ${p.cycleId} is missing`);
    return { cycle: c, participant: p, submissions, nominations };
  }

  /** The participant's state when `me` may take `action` on it now; else the text that says why not. */
  async allowed(me: Member, action: EvalAction, participantId: number, now: Date): Promise<ParticipantState | string> {
    const p = await this.repo.participantById(participantId);
    if (!p) return t(me.locale, 'evaluation.unknown');
    const s = await this.state(p);
    const ok = mayAct(action, s, { member: me }, now);
    return ok === true ? s : this.refusal(me, ok, action);
  }

  async memberName(id: number): Promise<string> {
    return (await this.org.memberById(id))?.displayName ?? `#${id}`;
  }

  /** By name ("2026-11", "2026") or id; else the newest open cycle, else the newest. */
  async findCycle(name?: string): Promise<CycleRecord | null> {
    if (name)
      return (
        (await this.repo.cycleByName(name)) ??
        (/^\d{1,9}$/.test(name) && name.length < 4 ? this.repo.cycleById(Number(name)) : null)
      );
    return (await this.repo.listCycles({ status: 'open' }))[0] ?? (await this.repo.listCycles())[0] ?? null;
  }

  /** The member's participant in the newest open annual cycle. */
  async annualParticipant(memberId: number): Promise<{ cycle: CycleRecord; participant: ParticipantRecord } | null> {
    for (const p of await this.repo.participantsOfMember(memberId, { cycleStatus: 'open' })) {
      const cycle = await this.repo.cycleById(p.cycleId);
      if (cycle?.kind === 'annual') return { cycle, participant: p };
    }
    return null;
  }

  refusal(me: Member, why: Refusal, action: EvalAction): string {
    return t(me.locale, `evaluation.refuse.${why}` as MessageKey, {
      action: t(me.locale, `evaluation.action.${action}` as MessageKey),
    });
  }

  failure(me: Member, reason: TransitionFailure, action: EvalAction): string {
    if (reason === 'closed') return this.refusal(me, 'closed', action);
    if (reason === 'duplicate') return this.refusal(me, 'already', action);
    // Customer answers and the customer-facing mark apply while raters may still answer, not on a form's version:
    // refused, they mean the score was computed meanwhile (whether or not a form was involved).
    if (action === 'customer') return t(me.locale, 'evaluation.refuse.customersClosed');
    return t(me.locale, 'evaluation.refuse.stale');
  }
}
