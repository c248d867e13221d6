// `eval export [cycle] [csv|xlsx]` in chat (issue 4): HR's cycle summary as a file in their direct message.
//
// The command only checks and queues: who may ask (HR, admins), which cycle, then one outbox row holding the
// request (cycle, format, language, requester; never the bytes) with the caption to send, and the ack comes
// back at once. The dispatcher makes the file when it sends that row (EvaluationExportJob, with export.ts:
// the code the CLI uses) and uploads it with the platform sender's sendFile. So the request survives a crash
// after the ack (the row is in the database before the ack is sent), a 429 waits for the platform's
// Retry-After / x-ogw-ratelimit-reset like any message, other failures back off, and once the row is given up
// (a permanent refusal, or maxAttempts) the requester is told so in their language.

import { t } from '../../i18n/t.js';
import { platformFor } from '../../org/service.js';
import {
  DeliveryError,
  type Locale,
  type Member,
  type OutboxFile,
  type OutboxJob,
  type OutboxJobRunner,
  type OutboxRepo,
  type Platform,
} from '../../ports.js';
import type { Reply } from '../../views/types.js';
import type { CycleKind } from '../criteria.js';
import { EXPORT_FORMATS, type ExportFormat, exportSummary } from '../export.js';
import { computeCycleSummary, type SummarySource, summaryWord } from '../summary.js';
import { runsCycles } from './rules.js';
import type { CycleRecord } from './types.js';
import { denied, say } from './views.js';

export const EVAL_EXPORT_JOB = 'eval.export';

export interface ExportRequestDeps {
  /** Where the request is queued; without it (or without summaries) the command points to the CLI. */
  outbox?: Pick<OutboxRepo, 'enqueue'>;
  summaries?: SummarySource;
}

const label = (f: ExportFormat) => f.toUpperCase();

/** Checks and queues the request; answers with the ack (or why nothing will come). */
export async function requestExport(
  d: ExportRequestDeps,
  me: Member,
  cmd: { cycle?: string; format?: ExportFormat },
  platform: Platform,
  now: Date,
  findCycle: (name?: string) => Promise<CycleRecord | null>,
): Promise<Reply> {
  const l = me.locale;
  if (!runsCycles(me)) return denied(me, ['hr', 'admin']);
  const cycle = await findCycle(cmd.cycle);
  if (!cycle)
    return say(cmd.cycle ? t(l, 'evaluation.export.unknownCycle', { name: cmd.cycle }) : t(l, 'evaluation.cycle.none'));
  const where = platformFor(me, platform);
  if (!d.outbox || !d.summaries || !where) return say(t(l, 'evaluation.export.unavailable', { cycle: cycle.name }));
  const format = cmd.format ?? 'xlsx';
  const job: OutboxJob = {
    kind: EVAL_EXPORT_JOB,
    params: { cycleId: cycle.id, cycleName: cycle.name, kind: cycle.kind, format, locale: l, requesterId: me.id },
  };
  const caption = t(l, 'evaluation.export.caption', {
    cycle: cycle.name,
    kind: t(l, `evaluation.cycle.${cycle.kind}`),
    format: label(format),
  });
  await d.outbox.enqueue(
    [
      {
        ...where,
        message: { text: caption, blocks: [{ kind: 'text', text: caption }] },
        job,
        dedupeKey: `eval:export:${me.id}:${cycle.id}:${format}:${now.getTime()}`,
      },
    ],
    now,
  );
  return say(t(l, 'evaluation.export.preparing', { cycle: cycle.name, format: label(format) }), 'success');
}

interface ExportParams {
  cycleId: number;
  cycleName: string;
  kind: CycleKind;
  format: ExportFormat;
  locale: Locale;
  requesterId: number;
}

function paramsOf(job: OutboxJob): ExportParams {
  const p = job.params;
  const ok =
    typeof p.cycleId === 'number' &&
    typeof p.cycleName === 'string' &&
    (p.kind === 'monthly' || p.kind === 'annual') &&
    (EXPORT_FORMATS as readonly unknown[]).includes(p.format) &&
    (p.locale === 'en' || p.locale === 'zh-CN') &&
    typeof p.requesterId === 'number';
  if (!ok) throw new DeliveryError(`malformed ${EVAL_EXPORT_JOB} job: ${JSON.stringify(p)}`, false);
  return p as unknown as ExportParams;
}

const MIME: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

export interface ExportJobDeps {
  summaries: SummarySource;
  /** Whether the cycle still exists (a deleted cycle is given up, not retried). */
  cycles: { cycleById(id: number): Promise<CycleRecord | null> };
  /** The requester must still run cycles when the file is made (the row may wait for hours). */
  members: { memberById(id: number): Promise<Pick<Member, 'role'> | null> };
  clock?: { now(): Date };
}

/** Makes the file of an `eval export` request when the dispatcher sends its row. */
export class EvaluationExportJob implements OutboxJobRunner {
  readonly kind = EVAL_EXPORT_JOB;
  /** About four minutes of backoff (2 s … 2 min) for errors; rate limits do not count. */
  readonly maxAttempts = 8;

  constructor(private readonly d: ExportJobDeps) {}

  async run(job: OutboxJob): Promise<OutboxFile> {
    const p = paramsOf(job);
    const requester = await this.d.members.memberById(p.requesterId);
    if (!requester || !runsCycles(requester))
      throw new DeliveryError(`${EVAL_EXPORT_JOB}: member ${p.requesterId} may no longer export`, false);
    if (!(await this.d.cycles.cycleById(p.cycleId)))
      throw new DeliveryError(`${EVAL_EXPORT_JOB}: cycle ${p.cycleId} no longer exists`, false);
    const input = await this.d.summaries.summaryInput(p.cycleId);
    const bytes = await exportSummary(
      computeCycleSummary(input),
      input.config,
      p.format,
      p.locale,
      this.d.clock?.now(),
    );
    return {
      filename: `${p.cycleName.replace(/[^\p{L}\p{N}._-]+/gu, '_') || `cycle-${p.cycleId}`}.${p.format}`,
      title: summaryWord(p.locale, 'title', { name: p.cycleName, kind: summaryWord(p.locale, `kind.${p.kind}`) }),
      mimeType: MIME[p.format],
      bytes,
    };
  }

  failed(job: OutboxJob) {
    const locale: Locale = job.params.locale === 'en' ? 'en' : 'zh-CN';
    const text = t(locale, 'evaluation.export.failed', {
      cycle: String(job.params.cycleName ?? ''),
      format: String(job.params.format ?? '').toUpperCase(),
    });
    return { text, tone: 'danger' as const, blocks: [{ kind: 'text' as const, text }] };
  }
}
