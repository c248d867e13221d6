// `dudao eval config list|import|export`: the evaluation criteria, weights and grades as versioned files.
// An import is validated like every other file (errors by path, nothing changed) and becomes the next
// version; cycles already opened keep the version they were opened with.
import YAML from 'yaml';
import { DEFAULT_EVALUATION_CONFIG, parseEvaluationConfig } from '../core/evaluations/criteria.js';
import { ValidationError } from '../core/shared/validation.js';
import { type DocFormat, formatFromFilename } from '../core/templates/service.js';
import { PrismaEvaluationRepo } from '../store/evaluation-repo.js';
import { type DbContext, str } from './context.js';
import { readVersionedFile, versionLine, writeOutputFile } from './files.js';
import { CliError, printJson, printTable } from './io.js';

/** The one configuration the bot opens cycles with (one organisation per database). */
const KEY = DEFAULT_EVALUATION_CONFIG.key;

const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

// The bot stores the policy's default as version 1 when it starts; so does this, so that the first import
// becomes version 2 and the default stays on record.
async function repoWithDefault(ctx: DbContext): Promise<PrismaEvaluationRepo> {
  const repo = new PrismaEvaluationRepo(ctx.db.prisma);
  if (!(await repo.latestConfig(KEY))) await repo.addConfigVersion(KEY, DEFAULT_EVALUATION_CONFIG, ctx.now);
  return repo;
}

export async function evalConfigList(ctx: DbContext): Promise<number> {
  const { prisma } = ctx.db;
  await repoWithDefault(ctx);
  const versions = await prisma.evaluationConfigVersion.findMany({
    orderBy: [{ key: 'asc' }, { version: 'asc' }],
    select: { id: true, key: true, version: true, createdAt: true },
  });
  const used = await prisma.evaluationCycle.groupBy({ by: ['configVersionId'], _count: { _all: true } });
  const cycles = new Map(used.map((u) => [u.configVersionId, u._count._all]));
  const rows = versions.map((r) => ({
    key: r.key,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    cycles: cycles.get(r.id) ?? 0,
  }));
  if (ctx.options.json) printJson(ctx.io, rows);
  else
    printTable(
      ctx.io,
      ['KEY', 'VERSION', 'CREATED', 'CYCLES'],
      rows.map((r) => [r.key, `v${r.version}`, r.createdAt, String(r.cycles)]),
      'no evaluation configurations',
    );
  return 0;
}

export async function evalConfigImport(ctx: DbContext): Promise<number> {
  const { text, format } = readVersionedFile(ctx, MAX_CONFIG_FILE_BYTES);
  const config = parseEvaluationConfig(text, format);
  if (config.key !== KEY)
    throw new ValidationError([
      `key: expected ${KEY} (the configuration the bot opens cycles with), got ${config.key}`,
    ]);
  const stored = await (await repoWithDefault(ctx)).addConfigVersion(KEY, config, ctx.now);
  ctx.io.out(versionLine(`evaluation configuration ${KEY}`, stored, '; cycles opened from now on use it'));
  return 0;
}

export async function evalConfigExport(ctx: DbContext): Promise<number> {
  await repoWithDefault(ctx);
  const out = str(ctx.options.out);
  const format = (str(ctx.options.format) as DocFormat | undefined) ?? (out ? formatFromFilename(out) : 'yaml');
  const v = str(ctx.options['config-version']);
  const row = await ctx.db.prisma.evaluationConfigVersion.findFirst({
    where: { key: KEY, ...(v === undefined ? {} : { version: Number(v) }) },
    orderBy: { version: 'desc' },
  });
  if (!row) throw new CliError(`no evaluation configuration ${KEY} version ${v}: see \`dudao eval config list\``);
  const content = JSON.parse(row.content) as unknown;
  const text = format === 'json' ? `${JSON.stringify(content, null, 2)}\n` : YAML.stringify(content);
  if (out) {
    writeOutputFile(out, text);
    ctx.io.out(`wrote ${out} (${format}, version ${row.version})\n`);
  } else ctx.io.out(text);
  return 0;
}
