// Every command of `npx dudao`, with the arguments and options it takes: what is not declared here is refused.
import type { OptionSpec } from './args.js';
import type { CommandSpec, Context, DbContext } from './context.js';

// Each command's module is loaded when it runs, so that `--help`, a usage error or a small command does not
// load the code (and its dependencies, such as the XLSX writer) of every other command.
type Handler<C> = (ctx: C) => Promise<number>;
function lazy<M, C extends Context>(load: () => Promise<M>, pick: (m: M) => Handler<C>): Handler<C> {
  return async (ctx) => pick(await load())(ctx);
}
const org = () => import('./org.js');
const template = () => import('./template.js');
const outbox = () => import('./outbox.js');
const evals = () => import('./eval.js');
const evalConfig = () => import('./eval-config.js');
const backups = () => import('./backup.js');

const HELP: OptionSpec = { help: 'show this help' };
const JSON_LIST: OptionSpec = { help: 'print the list as JSON, for scripts' };
const OUT: OptionSpec = { value: 'FILE', help: 'write to FILE instead of standard output' };
const docFormat = (what: string): OptionSpec => ({
  value: 'FORMAT',
  choices: ['yaml', 'json'],
  help: `${what} (default: from the file name, else yaml)`,
});
const LANG: OptionSpec = { value: 'LANG', choices: ['zh-CN', 'en'], help: 'language of the report (default zh-CN)' };
const FORCE_BACKUP: OptionSpec = { help: 'replace FILE if it exists' };

export const COMMANDS: CommandSpec[] = [
  {
    words: ['migrate'],
    args: [],
    options: { help: HELP },
    summary: 'apply database migrations (also done when the bot starts)',
    database: 'create',
    run: async ({ db, io }: DbContext) => {
      io.out(db.applied.length ? `applied: ${db.applied.join(', ')}\n` : 'database is up to date\n');
      return 0;
    },
  },
  {
    words: ['org', 'import'],
    args: [{ name: 'file' }],
    options: {
      format: {
        value: 'FORMAT',
        choices: ['yaml', 'json', 'csv'],
        help: 'the file format (default: read from its content)',
      },
      help: HELP,
    },
    summary: 'load departments and members (format: docs/operations.md, "Org import format")',
    details: ['Members are matched by their Slack or Feishu id; what the file leaves out keeps its stored value.'],
    database: 'create',
    run: lazy(org, (m) => m.orgImport),
  },
  {
    words: ['org', 'list'],
    args: [],
    options: { departments: { help: 'list departments instead of members' }, json: JSON_LIST, help: HELP },
    summary: 'list members (or --departments) as stored',
    database: 'open',
    run: lazy(org, (m) => m.orgList),
  },
  {
    words: ['org', 'export'],
    args: [],
    options: {
      format: { value: 'FORMAT', choices: ['yaml', 'json', 'csv'], help: 'default: from --out, else yaml' },
      out: OUT,
      help: HELP,
    },
    summary: 'write the stored organisation in the import format (import it elsewhere to copy it)',
    database: 'open',
    run: lazy(org, (m) => m.orgExport),
  },
  {
    words: ['template', 'list'],
    args: [],
    options: { json: JSON_LIST, help: HELP },
    summary: 'list checklist templates (newest versions)',
    database: 'open',
    run: lazy(template, (m) => m.templateList),
  },
  {
    words: ['template', 'import'],
    args: [{ name: 'file' }],
    options: { format: docFormat('the file format'), help: HELP },
    summary: 'add a new template version (inspections already started keep theirs)',
    database: 'create',
    run: lazy(template, (m) => m.templateImport),
  },
  {
    words: ['template', 'export'],
    args: [{ name: 'key' }],
    options: {
      'template-version': { value: 'N', positiveInteger: true, help: 'that version (default: the newest)' },
      format: docFormat('the output format'),
      out: OUT,
      help: HELP,
    },
    summary: 'print or write a template as YAML or JSON',
    database: 'open',
    run: lazy(template, (m) => m.templateExport),
  },
  {
    words: ['sweep'],
    args: [],
    options: {
      'dry-run': { help: 'print what would be sent and change nothing' },
      at: { value: 'ISO-TIME', help: 'sweep as if it were that time (e.g. 2026-11-25T01:00:00Z)' },
      help: HELP,
    },
    summary: 'run a reminder sweep now (findings and pending evaluation steps; the bot sends the digests)',
    database: 'open',
    run: lazy(
      () => import('./sweep.js'),
      (m) => m.sweep,
    ),
  },
  {
    words: ['outbox', 'list-failed'],
    args: [],
    options: { json: JSON_LIST, help: HELP },
    summary: 'list messages given up for good (id, platform, target, attempts, queued at, reason)',
    database: 'open',
    run: lazy(outbox, (m) => m.outboxListFailed),
  },
  {
    words: ['outbox', 'retry'],
    args: [{ name: 'id', many: true, optional: true }],
    options: { all: { help: 'every failed message' }, help: HELP },
    summary: 'put failed messages back in the queue (attempts reset); the running bot sends them',
    details: ['Give message ids (see `dudao outbox list-failed`) or --all.'],
    database: 'open',
    run: lazy(outbox, (m) => m.outboxRetry),
  },
  {
    words: ['eval', 'list'],
    args: [],
    options: { json: JSON_LIST, help: HELP },
    summary: 'list evaluation cycles',
    database: 'open',
    run: lazy(evals, (m) => m.evalList),
  },
  {
    words: ['eval', 'summary'],
    args: [{ name: 'cycle' }],
    options: { lang: LANG, help: HELP },
    summary: "print a cycle's summary (completion, scores, grades, members flagged for review); cycle: id or name",
    database: 'open',
    run: lazy(evals, (m) => m.evalSummary),
  },
  {
    words: ['eval', 'export'],
    args: [{ name: 'cycle' }],
    options: {
      out: { value: 'FILE', required: true, help: 'the file to write' },
      format: { value: 'FORMAT', choices: ['csv', 'xlsx'], help: "default: from FILE's extension, else xlsx" },
      lang: { ...LANG, help: 'language of the headers (default zh-CN)' },
      help: HELP,
    },
    summary: 'write a cycle summary as XLSX (sheets Summary, Members) or its members as CSV (UTF-8 with BOM)',
    database: 'open',
    run: lazy(evals, (m) => m.evalExport),
  },
  {
    words: ['eval', 'config', 'list'],
    args: [],
    options: { json: JSON_LIST, help: HELP },
    summary: 'list evaluation configuration versions (criteria, weights, grades)',
    database: 'open',
    run: lazy(evalConfig, (m) => m.evalConfigList),
  },
  {
    words: ['eval', 'config', 'import'],
    args: [{ name: 'file' }],
    options: { format: docFormat('the file format'), help: HELP },
    summary: 'add a configuration version (example: examples/evaluation-config.yaml); open cycles keep theirs',
    database: 'create',
    run: lazy(evalConfig, (m) => m.evalConfigImport),
  },
  {
    words: ['eval', 'config', 'export'],
    args: [],
    options: {
      'config-version': { value: 'N', positiveInteger: true, help: 'that version (default: the newest)' },
      format: docFormat('the output format'),
      out: OUT,
      help: HELP,
    },
    summary: 'print or write a configuration version as YAML or JSON',
    database: 'open',
    run: lazy(evalConfig, (m) => m.evalConfigExport),
  },
  {
    words: ['backup'],
    args: [{ name: 'file' }],
    options: { force: FORCE_BACKUP, help: HELP },
    summary: 'copy the SQLite database to FILE, safely while the bot runs (PostgreSQL: pg_dump)',
    database: 'none',
    run: lazy(backups, (m) => m.backup),
  },
  {
    words: ['restore'],
    args: [{ name: 'file' }],
    options: { force: { help: 'replace the existing database' }, help: HELP },
    summary: 'replace the SQLite database with a backup (stop the bot first; PostgreSQL: pg_restore)',
    database: 'none',
    run: lazy(backups, (m) => m.restore),
  },
];
