// Runs reminder sweeps on the node-cron schedule (and on `remind now`), one at a time in this process;
// other processes may sweep the same database, since every reminder is claimed before it is queued.
import { type ScheduledTask, schedule } from 'node-cron';
import { EvaluationReminderPlanner } from '../core/evaluations/cycles/reminders.js';
import type { EvaluationRepo } from '../core/evaluations/cycles/types.js';
import type { RemindingFlow } from '../core/flows/reminders.js';
import type { Clock, OrgRepo, Platform } from '../core/ports.js';
import type { ReminderRepo } from '../core/rectification/types.js';
import { WorkCalendar } from '../core/reminders/calendar.js';
import type { ReminderRules } from '../core/reminders/rules.js';
import { ReminderSweeper, type SweepResult } from '../core/reminders/sweep.js';
import type { DispatcherLogger } from './outbox-dispatcher.js';

export interface SweeperParts {
  repo: ReminderRepo;
  org: OrgRepo;
  rules: ReminderRules;
  preferredPlatform: Platform;
  /** Pending evaluation steps, reminded in the same digests. */
  evaluations?: EvaluationRepo;
  /** Draws the cards of findings whose reminder counts a sweep changed. */
  redrawCards?: (findingIds: number[], now: Date) => Promise<void>;
  /** Declared flows with reminders of their own (approvals…). */
  flows?: readonly RemindingFlow[];
}

/** The sweep the bot runs (findings and pending evaluation steps); `dudao sweep` builds the same one. */
export function createReminderSweeper(
  o: SweeperParts,
  calendar: WorkCalendar = new WorkCalendar(o.rules.calendar),
): ReminderSweeper {
  const evaluations = o.evaluations ? new EvaluationReminderPlanner(o.evaluations) : undefined;
  return new ReminderSweeper({
    repo: o.repo,
    org: o.org,
    rules: o.rules,
    calendar,
    preferredPlatform: o.preferredPlatform,
    evaluations,
    redrawCards: o.redrawCards,
    flows: o.flows,
  });
}

export interface ReminderSchedulerOptions extends SweeperParts {
  /** node-cron expression; '' for none (sweeps only on request). */
  cron: string;
  clock: Clock;
  logger: DispatcherLogger;
  /** Called after a sweep queued digests, so that the outbox sends them now. */
  onQueued: () => void;
  defaultTimeZone: string;
}

export class ReminderScheduler {
  readonly calendar: WorkCalendar;
  readonly sweeper: ReminderSweeper;
  private task: ScheduledTask | undefined;
  private running: Promise<SweepResult> | undefined;

  constructor(private readonly o: ReminderSchedulerOptions) {
    this.calendar = new WorkCalendar(o.rules.calendar);
    this.sweeper = createReminderSweeper(o, this.calendar);
  }

  /** Years the official holiday data covers, so the operator hears when it needs an update. */
  coverageWarning(now: Date): string | null {
    const official = this.calendar.official;
    const year = now.getUTCFullYear();
    if (!official || year <= official.years.last) return null;
    return `the ${official.name} holiday data covers ${official.years.first}-${official.years.last}; ${year} uses weekends and the rules' extra days only until the package is updated`;
  }

  /** One sweep at a time here; a sweep asked for while one runs waits for it and runs after. */
  async runNow(now: Date): Promise<SweepResult> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.sweeper.sweep(now);
    try {
      const r = await this.running;
      if (r.digests > 0 || r.flows.messages > 0) this.o.onQueued();
      if (r.flows.records > 0) this.o.logger.info({ ...r.flows }, 'flow reminders queued');
      if (r.flowErrors)
        this.o.logger.error({ errors: r.flowErrors }, 'flow reminders failed; their due times stay for the next sweep');
      if (r.reminders > 0)
        this.o.logger.info({ reminders: r.reminders, digests: r.digests, findings: r.findings }, 'reminders queued');
      if (r.redrawError)
        this.o.logger.warn({ err: r.redrawError }, 'finding cards could not be redrawn with the new reminder counts');
      return r;
    } finally {
      this.running = undefined;
    }
  }

  start(): void {
    if (!this.o.cron || this.task) return;
    this.task = schedule(this.o.cron, async () => {
      if (this.running) return;
      await this.runNow(this.o.clock.now()).catch((err) =>
        this.o.logger.error({ err: String(err) }, 'reminder sweep failed; the next one retries'),
      );
    });
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
    await this.running?.catch(() => undefined);
  }
}
