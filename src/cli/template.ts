// `dudao template list|import|export`: checklist templates as versioned YAML or JSON files.

import { pick } from '../core/i18n/t.js';
import { DEFAULT_FORM_LIMITS, fitProblems } from '../core/inspections/fit.js';
import { type DocFormat, formatFromFilename, TemplateService, templateOf } from '../core/templates/service.js';
import { PrismaTemplateRepo } from '../store/template-repo.js';
import { type DbContext, str } from './context.js';
import { readVersionedFile, versionLine, writeOutputFile } from './files.js';
import { CliError, printJson, printTable } from './io.js';

/** A template is a few kilobytes; anything this large is not one. */
const MAX_TEMPLATE_FILE_BYTES = 1024 * 1024;

const service = (ctx: DbContext) =>
  new TemplateService(new PrismaTemplateRepo(ctx.db.prisma), (tpl) => fitProblems(tpl, DEFAULT_FORM_LIMITS));

export async function templateList(ctx: DbContext): Promise<number> {
  const templates = service(ctx);
  await templates.ensureDefault(ctx.now);
  const rows = (await templates.list()).map((s) => {
    const tpl = templateOf(s);
    return {
      key: s.key,
      version: s.version,
      nameEn: pick(tpl.name, 'en'),
      nameZh: pick(tpl.name, 'zh-CN'),
      createdAt: s.createdAt.toISOString(),
    };
  });
  if (ctx.options.json) printJson(ctx.io, rows);
  else
    printTable(
      ctx.io,
      ['KEY', 'VERSION', 'NAME', 'CREATED'],
      rows.map((r) => [r.key, `v${r.version}`, `${r.nameEn} / ${r.nameZh}`, r.createdAt]),
      'no templates',
    );
  return 0;
}

export async function templateImport(ctx: DbContext): Promise<number> {
  const { text, format } = readVersionedFile(ctx, MAX_TEMPLATE_FILE_BYTES);
  const stored = await service(ctx).import(text, format, ctx.now);
  ctx.io.out(versionLine(`template ${stored.key}`, stored));
  return 0;
}

export async function templateExport(ctx: DbContext): Promise<number> {
  const key = ctx.args[0]!;
  const templates = service(ctx);
  await templates.ensureDefault(ctx.now);
  const out = str(ctx.options.out);
  const format = (str(ctx.options.format) as DocFormat | undefined) ?? (out ? formatFromFilename(out) : 'yaml');
  const v = str(ctx.options['template-version']);
  const text = await templates.export(key, v === undefined ? undefined : Number(v), format);
  if (text === null) throw new CliError(`no template ${key}${v ? ` version ${v}` : ''}: see \`dudao template list\``);
  if (out) {
    writeOutputFile(out, text);
    ctx.io.out(`wrote ${out} (${format})\n`);
  } else ctx.io.out(text);
  return 0;
}
