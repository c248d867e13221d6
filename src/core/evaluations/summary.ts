// HR's summary of one evaluation cycle (issue 4, "Results"): completion by department and stage, the score
// distribution, grades, mean and median, and the members flagged for a position review (policy B 4.5.2).
// Pure: the store reads the rows (src/store/evaluation-summary-repo.ts); this file only counts.

import type { SUMMARY_WORDS } from '../i18n/messages-evaluation-reports.js';
import { pick, t } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import { lit, plainText } from '../views/text.js';
import type { MessageView } from '../views/types.js';
import type { CycleKind, EvaluationConfig } from './criteria.js';
import { type CycleOutcome, type CycleRef, type PositionReviewFlag, positionReview } from './position-review.js';
import { round1 } from './supervision.js';

/** EvaluationParticipant.stage, in the order a participant goes through them. */
export const PARTICIPANT_STAGES = ['self', 'supervisor', 'review', 'acknowledge', 'done'] as const;
export type ParticipantStage = (typeof PARTICIPANT_STAGES)[number];

export interface SummaryCycle {
  id: number;
  kind: CycleKind;
  name: string;
  periodStart: Date;
  periodEnd: Date;
  status: string;
}

export interface SummaryParticipant {
  participantId: number;
  memberId: number;
  memberName: string;
  departmentId: number | null;
  departmentName: string | null;
  /** One of PARTICIPANT_STAGES; anything else is counted as it is. */
  stage: string;
  overallScore: number | null;
  grade: string | null;
  /** dimension key → its 0-100 score, from the stored result. */
  dimensions: Readonly<Record<string, number>>;
  /** Points the supervision record gave (the dimension's adjustment); null when the rules were off. */
  supervisionPoints: number | null;
}

/** An earlier cycle's overall score of one member. */
export interface PastOutcome {
  memberId: number;
  cycle: CycleRef;
  overall: number;
}

export interface SummaryInput {
  cycle: SummaryCycle;
  config: EvaluationConfig;
  participants: readonly SummaryParticipant[];
  /** Earlier cycles of any kind (other kinds are ignored); those below the threshold are enough. */
  history: readonly PastOutcome[];
}

/** Reads a cycle's summary input (src/store/evaluation-summary-repo.ts). */
export interface SummarySource {
  summaryInput(cycleId: number): Promise<SummaryInput>;
}

export interface DepartmentCompletion {
  departmentId: number | null;
  name: string | null;
  total: number;
  done: number;
  scored: number;
  byStage: Record<string, number>;
}

export interface MemberRow extends SummaryParticipant {
  review: PositionReviewFlag | null;
}

export interface CycleSummary {
  cycle: SummaryCycle & { ref: CycleRef };
  participants: number;
  done: number;
  scored: number;
  byStage: Record<string, number>;
  /** Sorted by department name, members without a department last. */
  byDepartment: DepartmentCompletion[];
  /** Ten buckets: [0,10), [10,20) … [90,100]; a score of 100 counts in the last one. */
  buckets: Array<{ from: number; to: number; count: number }>;
  /** In the configuration's order (highest first); a stored grade no longer configured is added at the end. */
  grades: Array<{ label: string; count: number }>;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  flagged: MemberRow[];
  /** Every participant, sorted by department then name, with their position-review flag. */
  members: MemberRow[];
  belowScore: number;
  consecutiveCycles: number;
}

/**
 * The cycle as position-review counts it. The middle of the period is within its month or year in any
 * time zone, while periodStart (midnight somewhere east of UTC) may fall on the day before.
 */
export function cycleRefOf(kind: CycleKind, periodStart: Date, periodEnd: Date): CycleRef {
  const mid = new Date((periodStart.getTime() + periodEnd.getTime()) / 2);
  return kind === 'annual'
    ? { kind, year: mid.getUTCFullYear() }
    : { kind, year: mid.getUTCFullYear(), month: mid.getUTCMonth() + 1 };
}

/** Reads the dimension scores and supervision points from a stored EvaluationResult JSON; lenient. */
export function scoresFromStoredResult(
  json: string | null,
  supervisionDimension?: string,
): { dimensions: Record<string, number>; supervisionPoints: number | null } {
  const dimensions: Record<string, number> = {};
  let supervisionPoints: number | null = null;
  if (!json) return { dimensions, supervisionPoints };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { dimensions, supervisionPoints };
  }
  const dims = (parsed as { dimensions?: unknown })?.dimensions;
  if (!Array.isArray(dims)) return { dimensions, supervisionPoints };
  for (const d of dims as Array<{ dimensionKey?: unknown; score?: unknown; adjustment?: unknown }>) {
    if (typeof d?.dimensionKey !== 'string' || typeof d.score !== 'number') continue;
    dimensions[d.dimensionKey] = d.score;
    if (
      typeof d.adjustment === 'number' &&
      (supervisionDimension === undefined || supervisionDimension === d.dimensionKey)
    )
      supervisionPoints = round1((supervisionPoints ?? 0) + d.adjustment);
  }
  return { dimensions, supervisionPoints };
}

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : round1((sorted[mid - 1]! + sorted[mid]!) / 2);
}

const byText = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'zh-CN');

export function computeCycleSummary(input: SummaryInput): CycleSummary {
  const { cycle, config } = input;
  const ref = cycleRefOf(cycle.kind, cycle.periodStart, cycle.periodEnd);
  const members = memberRows(input, ref);
  const { byStage, departments, buckets, gradeCounts, scores } = tally(members, config);
  scores.sort((a, b) => a - b);
  const mean = scores.length ? round1(scores.reduce((n, s) => n + s, 0) / scores.length) : null;

  return {
    cycle: { ...cycle, ref },
    participants: members.length,
    done: byStage.done ?? 0,
    scored: scores.length,
    byStage,
    byDepartment: [...departments.values()].sort((a, b) => byText(a.name, b.name)),
    buckets,
    grades: [...gradeCounts].map(([label, count]) => ({ label, count })),
    mean,
    median: median(scores),
    min: scores[0] ?? null,
    max: scores[scores.length - 1] ?? null,
    flagged: members.filter((m) => m.review?.flagged),
    members,
    belowScore: config.positionReview.belowScore,
    consecutiveCycles: config.positionReview.consecutiveCycles,
  };
}

/** Each participant with their position review (this cycle and the earlier ones of its kind), in reading order. */
function memberRows(input: SummaryInput, ref: CycleRef): MemberRow[] {
  const { cycle, config } = input;
  const ordinal = (c: CycleRef) => (c.kind === 'annual' ? c.year : c.year * 12 + ((c.month ?? 1) - 1));
  const current = ordinal(ref);

  const history = new Map<number, CycleOutcome[]>();
  for (const h of input.history) {
    if (h.cycle.kind !== cycle.kind || ordinal(h.cycle) >= current) continue;
    let list = history.get(h.memberId);
    if (!list) history.set(h.memberId, (list = []));
    list.push({ cycle: h.cycle, overall: h.overall });
  }

  return input.participants
    .map((p) => ({
      ...p,
      // Without this cycle's score there is nothing to judge yet: a streak must end with the cycle summarized.
      review:
        p.overallScore === null
          ? null
          : positionReview(config, cycle.kind, [
              ...(history.get(p.memberId) ?? []),
              { cycle: ref, overall: p.overallScore },
            ]),
    }))
    .sort(
      (a, b) =>
        byText(a.departmentName, b.departmentName) ||
        a.memberName.localeCompare(b.memberName, 'zh-CN') ||
        a.memberId - b.memberId,
    );
}

/** Counts by stage, department, score bucket and grade; the scores, for the statistics. */
function tally(members: MemberRow[], config: EvaluationConfig) {
  const byStage: Record<string, number> = Object.fromEntries(PARTICIPANT_STAGES.map((s) => [s, 0]));
  const departments = new Map<number | null, DepartmentCompletion>();
  const buckets = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i === 9 ? 100 : i * 10 + 10, count: 0 }));
  const gradeCounts = new Map(config.grades.map((g) => [g.label, 0]));
  const scores: number[] = [];
  for (const m of members) {
    byStage[m.stage] = (byStage[m.stage] ?? 0) + 1;
    let d = departments.get(m.departmentId);
    if (!d)
      departments.set(
        m.departmentId,
        (d = {
          departmentId: m.departmentId,
          name: m.departmentName,
          total: 0,
          done: 0,
          scored: 0,
          byStage: Object.fromEntries(PARTICIPANT_STAGES.map((s) => [s, 0])),
        }),
      );
    d.total++;
    d.byStage[m.stage] = (d.byStage[m.stage] ?? 0) + 1;
    if (m.stage === 'done') d.done++;
    if (m.overallScore === null) continue;
    d.scored++;
    scores.push(m.overallScore);
    buckets[Math.min(9, Math.max(0, Math.floor(m.overallScore / 10)))]!.count++;
    if (m.grade !== null) gradeCounts.set(m.grade, (gradeCounts.get(m.grade) ?? 0) + 1);
  }
  return { byStage, departments, buckets, gradeCounts, scores };
}

// ---- words: the catalogue's evalsum.* messages ----

export type SummaryWord = keyof typeof SUMMARY_WORDS;

export function summaryWord(locale: Locale, key: SummaryWord, params: Record<string, string | number> = {}): string {
  return t(locale, `evalsum.${key}`, params);
}

export function stageLabel(locale: Locale, stage: string): string {
  return (PARTICIPANT_STAGES as readonly string[]).includes(stage)
    ? summaryWord(locale, `stage.${stage as ParticipantStage}`)
    : stage;
}

/** Scores have one decimal, so [80, 90) reads 80-89.9. */
export const bucketLabel = (b: { from: number; to: number }): string =>
  `${b.from}-${b.to === 100 ? 100 : (b.to - 0.1).toFixed(1)}`;
export const fmtScore = (x: number | null): string => (x === null ? '-' : x.toFixed(1));
const percent = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1000) / 10);
const periodText = (ref: CycleRef) =>
  ref.month ? `${ref.year}-${String(ref.month).padStart(2, '0')}` : String(ref.year);

export interface SummarySection {
  title: string;
  lines: string[];
}

/** The summary as titled sections of plain lines: the chat message and the CLI both print these. */
export function summarySections(
  s: CycleSummary,
  config: EvaluationConfig,
  locale: Locale,
  o: { maxLines?: number } = {},
): { title: string; fields: Array<{ label: string; value: string }>; sections: SummarySection[] } {
  const w = (k: SummaryWord, p?: Record<string, string | number>) => summaryWord(locale, k, p);
  const max = o.maxLines ?? Infinity;
  const capped = (lines: string[]) =>
    lines.length > max ? [...lines.slice(0, max), w('more', { n: lines.length - max })] : lines;
  const sep = locale === 'zh-CN' ? '，' : ', ';
  const kind = w(`kind.${s.cycle.kind}`);
  return {
    title: w('title', { name: s.cycle.name, kind }),
    fields: [
      { label: w('participants'), value: String(s.participants) },
      { label: w('done'), value: `${s.done} (${percent(s.done, s.participants)}%)` },
      { label: w('mean'), value: fmtScore(s.mean) },
      { label: w('median'), value: fmtScore(s.median) },
    ],
    sections: [
      {
        title: w('byStage'),
        lines: [
          Object.entries(s.byStage)
            .map(([st, n]) => `${stageLabel(locale, st)} ${n}`)
            .join(sep),
        ],
      },
      {
        title: w('byDepartment'),
        lines: capped(s.byDepartment.map((d) => departmentLine(d, locale, sep))),
      },
      { title: w('distribution'), lines: [s.buckets.map((b) => `${bucketLabel(b)}: ${b.count}`).join(sep)] },
      {
        title: w('grades'),
        lines: [
          s.grades
            .map((g) => {
              const cfg = config.grades.find((x) => x.label === g.label);
              return `${lit(g.label)}${cfg ? ` ${lit(pick(cfg.description, locale))}` : ''} ${g.count}`;
            })
            .join(sep),
        ],
      },
      {
        title: w('flagged', { below: s.belowScore, n: s.consecutiveCycles, kind }),
        lines: s.flagged.length === 0 ? [w('flaggedNone')] : capped(s.flagged.map((m) => flaggedLine(m, locale, sep))),
      },
    ],
  };
}

/** A department's completion, with how many wait at each stage not yet done. */
function departmentLine(d: DepartmentCompletion, locale: Locale, sep: string): string {
  const open = Object.entries(d.byStage)
    .filter(([st, n]) => n > 0 && st !== 'done')
    .map(([st, n]) => `${stageLabel(locale, st)} ${n}`)
    .join(sep);
  return summaryWord(locale, 'deptLine', {
    name: d.name ?? summaryWord(locale, 'noDepartment'),
    done: d.done,
    total: d.total,
    pct: percent(d.done, d.total),
    stages: open ? ` · ${open}` : '',
  });
}

/** A member flagged for a position review, with the cycles of their streak. */
function flaggedLine(m: MemberRow, locale: Locale, sep: string): string {
  return summaryWord(locale, 'flaggedLine', {
    name: m.memberName,
    dept: m.departmentName ?? summaryWord(locale, 'noDepartment'),
    score: fmtScore(m.overallScore),
    streak: m.review!.streak,
    cycles: m.review!.cycles.map(periodText).join(sep),
  });
}

/** As a chat message: a few departments and flagged members, the rest in the export (Slack's 3000 characters). */
export function cycleSummaryMessage(s: CycleSummary, config: EvaluationConfig, locale: Locale): MessageView {
  const { title, fields, sections } = summarySections(s, config, locale, { maxLines: 20 });
  return {
    text: `${title}: ${fields.map((f) => `${f.label} ${f.value}`).join(' · ')}`,
    tone: s.flagged.length > 0 ? 'warning' : 'default',
    blocks: [
      { kind: 'header', text: title },
      { kind: 'fields', fields },
      { kind: 'divider' },
      ...sections.map((sec) => ({
        kind: 'text' as const,
        text: `*${sec.title}*\n${sec.lines.map((l) => `- ${l}`).join('\n')}`,
      })),
    ],
  };
}

/** Plain text for the CLI: everything, no markup. */
export function cycleSummaryText(s: CycleSummary, config: EvaluationConfig, locale: Locale): string {
  const { title, fields, sections } = summarySections(s, config, locale);
  const text = `${[
    title,
    ...fields.map((f) => `${f.label}: ${f.value}`),
    ...sections.flatMap((sec) => ['', `${sec.title}:`, ...sec.lines.map((l) => `  ${l}`)]),
  ].join('\n')}\n`;
  return plainText(text);
}
