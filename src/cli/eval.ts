// `dudao eval list|summary|export`: HR's cycle summary and its CSV / XLSX export, from the operator's shell.
import { type ExportFormat, exportSummary } from '../core/evaluations/export.js';
import { computeCycleSummary, cycleSummaryText } from '../core/evaluations/summary.js';
import { normalizeLocale } from '../core/i18n/t.js';
import type { Locale } from '../core/ports.js';
import { CycleLookupError, PrismaEvaluationSummaryRepo } from '../store/evaluation-summary-repo.js';
import { type DbContext, str } from './context.js';
import { writeOutputFile } from './files.js';
import { CliError, printJson, printTable, UsageError } from './io.js';

/** The language of a report: `--lang` (zh-CN or en, or a tag such as zh or en-GB), default zh-CN. */
function reportLanguage(value: string | undefined): Locale {
  if (value === undefined) return 'zh-CN';
  const lang = value === 'zh-CN' || value === 'en' ? value : normalizeLocale(value);
  if (!lang) throw new UsageError(`--lang must be zh-CN or en, not ${value}`);
  return lang;
}

export async function evalList({ db, options, io }: DbContext): Promise<number> {
  const cycles = await new PrismaEvaluationSummaryRepo(db.prisma).listCycles();
  if (options.json) printJson(io, cycles);
  else
    printTable(
      io,
      ['ID', 'KIND', 'NAME', 'STATUS', 'PARTICIPANTS'],
      cycles.map((c) => [String(c.id), c.kind, c.name, c.status, String(c.participants)]),
      'no evaluation cycles',
    );
  return 0;
}

async function summaryOf(ctx: DbContext) {
  const repo = new PrismaEvaluationSummaryRepo(ctx.db.prisma);
  let cycle: Awaited<ReturnType<typeof repo.findCycle>>;
  try {
    cycle = await repo.findCycle(ctx.args[0]!);
  } catch (e) {
    if (e instanceof CycleLookupError) throw new CliError(e.message);
    throw e;
  }
  const input = await repo.summaryInput(cycle.id);
  return { input, summary: computeCycleSummary(input) };
}

export async function evalSummary(ctx: DbContext): Promise<number> {
  const lang = reportLanguage(str(ctx.options.lang));
  const { input, summary } = await summaryOf(ctx);
  ctx.io.out(cycleSummaryText(summary, input.config, lang));
  return 0;
}

export async function evalExport(ctx: DbContext): Promise<number> {
  const lang = reportLanguage(str(ctx.options.lang));
  const out = str(ctx.options.out)!;
  const format = (str(ctx.options.format) as ExportFormat | undefined) ?? (/\.csv$/i.test(out) ? 'csv' : 'xlsx');
  const { input, summary } = await summaryOf(ctx);
  const file = await exportSummary(summary, input.config, format, lang);
  writeOutputFile(out, file);
  ctx.io.out(`wrote ${out} (${format}, ${summary.participants} member(s), ${file.length} bytes)\n`);
  return 0;
}
