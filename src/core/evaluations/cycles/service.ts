// Evaluation cycles in chat (issue 4): open → self-evaluation → supervisor evaluation (annual: peers and
// customers too) → score → review conversation → acknowledgement. Every step checks who may take it and
// that the cycle is open, applies with a conditional update, and writes the cards of the people it concerns
// (updated in place, refKey per participant per person) and a notice to whoever acts next in the same
// transaction.
//
// This is the entry the app calls: it routes `eval` commands, card buttons and submitted forms to the parts
// (lifecycle.ts, steps.ts, nominations.ts, customers.ts, queries.ts, score-command.ts, export-command.ts), which share one
// CycleContext (context.ts) so that the configuration cache is one for all of them.
import type { FlowRoutes } from '../../flows/registry.js';
import type { Member, Platform } from '../../ports.js';
import type { MessageView, Reply } from '../../views/types.js';
import type { ExportFormat } from '../export.js';
import { CycleContext, type EvaluationDeps } from './context.js';
import { CustomerAnswers } from './customers.js';
import { requestExport } from './export-command.js';
import { CycleLifecycle, type OpenCycleCommand } from './lifecycle.js';
import { PEERS_FORM, PeerNominations } from './nominations.js';
import { CycleQueries } from './queries.js';
import { EVAL_ACTIONS, isEvalAction } from './rules.js';
import { ScoreNow } from './score-command.js';
import { CycleSteps, FORM_ACTIONS } from './steps.js';
import type { CycleRecord, ParticipantRecord } from './types.js';
import type { PendingLine } from './views.js';

export type { EvaluationDeps } from './context.js';
export type { CustomerRefusal } from './customers.js';

export type EvalCommand =
  | ({ sub: 'open' } & OpenCycleCommand)
  | { sub: 'status'; cycle?: string }
  | { sub: 'close'; cycle?: string }
  | { sub: 'mine' }
  | { sub: 'peers'; mentions: string[] }
  | { sub: 'customer-facing'; mention: string; value: boolean }
  | { sub: 'customer'; mention: string }
  | { sub: 'result'; mention?: string; cycle?: string }
  | { sub: 'score'; mention: string; cycle?: string }
  | { sub: 'link'; mention: string; customer: string }
  | { sub: 'summary'; cycle?: string }
  | { sub: 'export'; cycle?: string; format?: ExportFormat };

export class EvaluationCycleService {
  private readonly c: CycleContext;
  private readonly lifecycle: CycleLifecycle;
  private readonly steps: CycleSteps;
  /** `eval peers`, the "Nominate peers" form and the supervisor's decisions (nominations.ts). */
  private readonly peers: PeerNominations;
  private readonly customers: CustomerAnswers;
  private readonly queries: CycleQueries;
  /** `eval score @member [cycle]`: score now (score-command.ts). */
  private readonly scoreNow: ScoreNow;

  constructor(d: EvaluationDeps) {
    this.c = new CycleContext(d);
    this.lifecycle = new CycleLifecycle(this.c);
    this.steps = new CycleSteps(this.c);
    this.peers = new PeerNominations(this.c, (id, me, platform, now) => this.steps.scoreIfReady(id, me, platform, now));
    this.customers = new CustomerAnswers(this.c, this.steps);
    this.queries = new CycleQueries(this.c);
    this.scoreNow = new ScoreNow(this.c, this.steps);
  }

  /** Seeds the policy's default configuration as version 1 (like templates.ensureDefault). */
  ensureDefaultConfig(now: Date): Promise<void> {
    return this.lifecycle.ensureDefaultConfig(now);
  }

  /** Adds a new configuration version; cycles already opened keep theirs. */
  addConfig(content: unknown, now: Date) {
    return this.lifecycle.addConfig(content, now);
  }

  async command(me: Member, cmd: EvalCommand, platform: Platform, now: Date): Promise<Reply> {
    switch (cmd.sub) {
      case 'open':
        return this.lifecycle.open(me, cmd, platform, now);
      case 'status':
        return this.queries.status(me, cmd.cycle);
      case 'close':
        return this.lifecycle.close(me, cmd.cycle, platform, now);
      case 'mine':
        return this.queries.mine(me, now);
      case 'peers':
        return this.peers.command(me, cmd.mentions, platform, now);
      case 'customer-facing':
        return this.customers.setFacing(me, cmd.mention, cmd.value, platform, now);
      case 'customer':
        return this.customers.form(me, cmd.mention, platform);
      case 'result':
        return this.queries.result(me, platform, cmd.mention, cmd.cycle);
      case 'score':
        return this.scoreNow.command(me, cmd.mention, cmd.cycle, platform, now);
      case 'link':
        return this.customers.link(me, cmd.mention, cmd.customer, platform, now);
      case 'summary':
        return this.queries.summary(me, cmd.cycle);
      case 'export':
        return requestExport(this.c.d, me, cmd, platform, now, (name) => this.c.findCycle(name));
    }
  }

  /** Its form types (`eval.<rater>`, `eval.review`, `eval.peers`) and buttons (`eval.<action>`). */
  register(routes: FlowRoutes): void {
    for (const kind of FORM_ACTIONS) routes.form(`eval.${kind}`, (me, i) => this.steps.submit(me, i));
    routes.form(PEERS_FORM, (me, i) => this.peers.submit(me, i.formId, i.values, i.actor.platform, i.now));
    for (const a of EVAL_ACTIONS)
      routes.action(`eval.${a}`, (me, i) => this.action(me, i.actionId, i.value, i.actor.platform, i.now));
  }

  /** A card's button (`eval.<action>`); null when the action or its value is not one of ours. */
  async action(me: Member, actionId: string, value: string, platform: Platform, now: Date): Promise<Reply | null> {
    const action = actionId.slice('eval.'.length);
    if (!isEvalAction(action)) return null;
    if (action === 'approve' || action === 'decline') {
      const m = /^(\d{1,9}):(\d{1,9})$/.exec(value);
      return m ? this.peers.decide(me, action, Number(m[1]), Number(m[2]), platform, now) : null;
    }
    if (!/^\d{1,9}$/.test(value)) return null;
    const id = Number(value);
    if (action === 'result') return this.queries.resultOf(me, id);
    if (action === 'ack' || action === 'finalize') return this.steps.quickStep(me, action, id, platform, now);
    if (action === 'nominate') return this.peers.open(me, id, platform, now);
    return this.steps.openForm(me, action, id, now);
  }

  /** A customer's answers, from the web link or on their behalf (CustomerAnswers.record: the rules, the arguments). */
  recordCustomerSubmission(...args: Parameters<CustomerAnswers['record']>): ReturnType<CustomerAnswers['record']> {
    return this.customers.record(...args);
  }

  /** "Evaluations waiting for me", for `eval mine` and the `my` command. */
  pendingLines(me: Member, now?: Date): Promise<PendingLine[]> {
    return this.queries.pendingLines(me, now);
  }

  /** The section the `my` command appends, or nothing when no evaluation waits for the member. */
  mySection(me: Member, now?: Date): Promise<MessageView['blocks']> {
    return this.queries.mySection(me, now);
  }

  /** Pending steps of one participant (the reminder sweep). */
  pendingState(p: ParticipantRecord, cycle: CycleRecord) {
    return this.queries.pendingState(p, cycle);
  }
}
