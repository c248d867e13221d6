// `dudao eval list|summary|export`: HR's cycle summary and its CSV / XLSX export, from the operator's shell.
import { writeFileSync } from 'node:fs';
import { type ExportFormat, exportSummary } from '../core/evaluations/export.js';
import { computeCycleSummary, cycleSummaryText } from '../core/evaluations/summary.js';
import { normalizeLocale } from '../core/i18n/t.js';
import type { Locale } from '../core/ports.js';
import type { Database } from '../store/database.js';
import { CycleLookupError, PrismaEvaluationSummaryRepo } from '../store/evaluation-summary-repo.js';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function runEvalCommand(
  db: Database,
  sub: string,
  cycleRef: string | undefined,
  values: { format?: string; out?: string; lang?: string },
  io: Io,
  usage: () => number,
): Promise<number> {
  const lang: Locale | undefined =
    values.lang === undefined
      ? 'zh-CN'
      : values.lang === 'zh-CN' || values.lang === 'en'
        ? values.lang
        : normalizeLocale(values.lang);
  if (!lang) {
    io.err(`--lang: expected zh-CN or en, got ${values.lang}\n`);
    return 2;
  }
  const repo = new PrismaEvaluationSummaryRepo(db.prisma);
  if (sub === 'list') {
    const cycles = await repo.listCycles();
    if (cycles.length === 0) io.out('no evaluation cycles\n');
    for (const c of cycles) io.out(`${c.id}\t${c.kind}\t${c.name}\t${c.status}\t${c.participants} participant(s)\n`);
    return 0;
  }

  let format: ExportFormat | undefined;
  if (sub === 'export') {
    if (!values.out) {
      io.err('eval export: --out FILE is required\n');
      return usage();
    }
    const fromName = /\.csv$/i.test(values.out) ? 'csv' : 'xlsx';
    format =
      values.format === undefined
        ? fromName
        : values.format === 'csv' || values.format === 'xlsx'
          ? values.format
          : undefined;
    if (!format) {
      io.err(`--format: expected csv or xlsx, got ${values.format}\n`);
      return 2;
    }
  }

  let cycle: Awaited<ReturnType<typeof repo.findCycle>>;
  try {
    cycle = await repo.findCycle(cycleRef!);
  } catch (e) {
    if (e instanceof CycleLookupError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const input = await repo.summaryInput(cycle.id);
  const summary = computeCycleSummary(input);
  if (sub === 'summary') {
    io.out(cycleSummaryText(summary, input.config, lang));
    return 0;
  }
  const file = await exportSummary(summary, input.config, format!, lang);
  writeFileSync(values.out!, file);
  io.out(`wrote ${values.out} (${format}, ${summary.participants} member(s), ${file.length} bytes)\n`);
  return 0;
}
