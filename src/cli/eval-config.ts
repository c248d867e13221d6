// `dudao eval config list|import|export`: the evaluation criteria, weights and grades as versioned files.
// An import is validated like every other file (errors by path, nothing changed) and becomes the next
// version; cycles already opened keep the version they were opened with.
import { readFileSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';
import { DEFAULT_EVALUATION_CONFIG, parseEvaluationConfig } from '../core/evaluations/criteria.js';
import { ValidationError } from '../core/shared/validation.js';
import { formatFromFilename } from '../core/templates/service.js';
import type { Database } from '../store/database.js';
import { PrismaEvaluationRepo } from '../store/evaluation-repo.js';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** The one configuration the bot opens cycles with (one organisation per database). */
const KEY = DEFAULT_EVALUATION_CONFIG.key;

export async function runEvalConfigCommand(
  db: Database,
  action: string | undefined,
  file: string | undefined,
  values: { version?: string; format?: string; out?: string },
  io: Io,
  usage: () => number,
  now: Date,
): Promise<number> {
  const repo = new PrismaEvaluationRepo(db.prisma);
  // The bot stores the policy's default as version 1 when it starts; so does this, so that the first
  // import becomes version 2 and the default stays on record.
  if (!(await repo.latestConfig(KEY))) await repo.addConfigVersion(KEY, DEFAULT_EVALUATION_CONFIG, now);

  if (action === 'list') {
    const rows = await db.prisma.evaluationConfigVersion.findMany({
      orderBy: [{ key: 'asc' }, { version: 'asc' }],
      select: { id: true, key: true, version: true, createdAt: true },
    });
    const used = await db.prisma.evaluationCycle.groupBy({ by: ['configVersionId'], _count: { _all: true } });
    const cycles = new Map(used.map((u) => [u.configVersionId, u._count._all]));
    for (const r of rows)
      io.out(`${r.key}\tv${r.version}\t${r.createdAt.toISOString()}\t${cycles.get(r.id) ?? 0} cycle(s)\n`);
    return 0;
  }
  if (action === 'import') {
    if (!file) return usage();
    const config = parseEvaluationConfig(readFileSync(file, 'utf8'), formatFromFilename(file));
    if (config.key !== KEY)
      throw new ValidationError([
        `key: expected ${KEY} (the configuration the bot opens cycles with), got ${config.key}`,
      ]);
    const stored = await repo.addConfigVersion(KEY, config, now);
    io.out(`imported evaluation configuration ${KEY} as version ${stored.version}; cycles opened from now on use it\n`);
    return 0;
  }
  if (action !== 'export') return usage();
  const format =
    values.format === 'json' ? 'json' : values.format === undefined || values.format === 'yaml' ? 'yaml' : null;
  const version = values.version === undefined ? undefined : Number(values.version);
  if (!format || (version !== undefined && !Number.isInteger(version))) return usage();
  const row = await db.prisma.evaluationConfigVersion.findFirst({
    where: { key: KEY, ...(version === undefined ? {} : { version }) },
    orderBy: { version: 'desc' },
  });
  if (!row) {
    io.err(`no evaluation configuration ${KEY} version ${version}\n`);
    return 1;
  }
  const content = JSON.parse(row.content) as unknown;
  const text = format === 'json' ? `${JSON.stringify(content, null, 2)}\n` : YAML.stringify(content);
  if (values.out) writeFileSync(values.out, text);
  else io.out(text);
  return 0;
}
