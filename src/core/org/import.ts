// `dudao org import <file>`: a whole org in one validated file (format: docs/operations.md "Org import format").
// The file is refused as a whole, with every problem by path, or imported as a whole.
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { OrgImportPlan } from '../ports.js';
import { issueProblems, unknownKeyMessage, ValidationError } from '../shared/validation.js';
import { parseDocument } from '../templates/service.js';
import { crossProblems } from './import-checks.js';
import { isValidTimeZone } from './service.js';

const optionalText = z
  .string()
  .trim()
  .max(120)
  .optional()
  .nullable()
  .transform((s) => (s ? s : null));

/** Like optionalText, but a field left out stays undefined ("keep the stored value") while an empty one is null. */
const keptText = z
  .string()
  .trim()
  .max(120)
  .optional()
  .nullable()
  .transform((s) => (s === undefined ? undefined : s ? s : null));

// Strict: an unknown key is refused by name, so that `departmnet: Sales` cannot import a member without one.
const memberSchema = z.strictObject({
  name: z
    .string({ error: 'expected a name' })
    .trim()
    .min(1, 'expected a name')
    .max(120, 'expected at most 120 characters'),
  slack: optionalText.refine(
    (s) => s === null || /^[UW][A-Z0-9]{2,}$/.test(s),
    'expected a Slack user id like U012AB3CD',
  ),
  feishu: optionalText.refine((s) => s === null || /^ou_[A-Za-z0-9]+$/.test(s), 'expected a Feishu open_id like ou_…'),
  // Left out: an existing member keeps the stored value; a new one gets member / the configured defaults.
  role: z
    .enum(['admin', 'supervisor', 'manager', 'member', 'hr'], {
      error: 'expected admin, supervisor, manager, member or hr',
    })
    .optional(),
  department: keptText,
  locale: z.enum(['zh-CN', 'en'], { error: 'expected zh-CN or en' }).optional(),
  timezone: z.string().refine(isValidTimeZone, 'expected an IANA time zone like Asia/Shanghai').optional(),
  supervisor: keptText,
  manages: z.array(z.string().trim().min(1)).default([]),
});

const ROOT_EXPECTED =
  'expected an org file: a YAML or JSON mapping with departments and members, or CSV with a header line such as name,slack,department';

const orgSchema = z.strictObject(
  {
    departments: z
      .array(
        z.strictObject({
          name: z
            .string({ error: 'expected a name' })
            .trim()
            .min(1, 'expected a name')
            .max(80, 'expected at most 80 characters'),
          parent: optionalText,
          manager: optionalText,
        }),
      )
      .default([]),
    members: z.array(memberSchema).default([]),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? ROOT_EXPECTED : undefined) },
);

/** Above this an org file is refused before it is read: a real org is a few hundred kilobytes at most. */
export const MAX_ORG_FILE_BYTES = 5 * 1024 * 1024;

export type OrgFileFormat = 'yaml' | 'json' | 'csv';

/** The CSV columns, in the order `org export` writes them. */
export const CSV_COLUMNS = [
  'name',
  'slack',
  'feishu',
  'role',
  'department',
  'parent',
  'locale',
  'timezone',
  'supervisor',
  'manages',
] as const;

/**
 * The format by content: JSON starts with { or [, CSV with a header line of known columns (one misspelt column
 * still counts, so that it is refused by name), anything else is YAML. The file name is not consulted.
 */
export function detectOrgFormat(text: string): OrgFileFormat {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{') || body.startsWith('[')) return 'json';
  const header = body.split(/\r?\n/, 1)[0] ?? '';
  const cells = header.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  const csv =
    cells.length > 1 && !header.includes(':') && cells.some((c) => (CSV_COLUMNS as readonly string[]).includes(c));
  return csv ? 'csv' : 'yaml';
}

function sizeProblem(text: string): string | null {
  // Counting bytes of a large string costs a copy; below a quarter of the limit in characters it cannot be over.
  if (text.length * 4 <= MAX_ORG_FILE_BYTES) return null;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes <= MAX_ORG_FILE_BYTES) return null;
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `(file): ${mb(bytes)}; an org file may be at most ${mb(MAX_ORG_FILE_BYTES)}: split it into several imports`;
}

/**
 * Reads a CSV org file: one member per row; a row with only `department` (and `parent`) declares a department,
 * and `parent` on any row places that row's department. Problems of the header and of conflicting parents are
 * added to `problems`.
 */
function csvOrg(text: string, problems: string[]): unknown {
  let rows: Array<Record<string, string>>;
  try {
    rows = parseCsv(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (e) {
    throw new ValidationError([`(syntax): ${(e as Error).message}`]);
  }
  const header = parseCsv(text, { to_line: 1, bom: true, trim: true })[0] as string[] | undefined;
  for (const c of header ?? []) {
    const col = c.toLowerCase();
    if (!(CSV_COLUMNS as readonly string[]).includes(col))
      problems.push(`header.${c || '(empty)'}: ${unknownKeyMessage(col, CSV_COLUMNS, 'column')}`);
  }
  const departments: Array<{ name: string; parent: string | null }> = [];
  const members: unknown[] = [];
  const declare = (name: string, parent: string | null, where: string) => {
    const known = departments.find((d) => d.name === name);
    if (!known) departments.push({ name, parent });
    else if (parent && known.parent && known.parent !== parent)
      problems.push(
        `${where}.parent: ${JSON.stringify(name)} is placed under ${JSON.stringify(known.parent)} on another row`,
      );
    else if (parent) known.parent = parent;
  };
  for (const r of rows) {
    const memberCells = [r.name, r.slack, r.feishu, r.role, r.locale, r.timezone, r.supervisor, r.manages];
    if (r.department && !memberCells.some(Boolean)) {
      declare(r.department, r.parent || null, `departments[${departments.length}]`);
      continue;
    }
    if (r.department && r.parent) declare(r.department, r.parent, `members[${members.length}]`);
    else if (r.parent && 'department' in r)
      problems.push(`members[${members.length}].parent: a parent needs a department on the row`);
    members.push(memberOfRow(r));
  }
  return { departments, members };
}

// A column the file does not have is left undefined, so importing again keeps what is stored; an empty
// department or supervisor cell clears it, an empty role, locale or timezone cell keeps it.
const memberOfRow = (r: Record<string, string>) => ({
  name: r.name,
  slack: r.slack || null,
  feishu: r.feishu || null,
  role: r.role || undefined,
  department: r.department === undefined ? undefined : r.department || null,
  locale: r.locale || undefined,
  timezone: r.timezone || undefined,
  supervisor: r.supervisor === undefined ? undefined : r.supervisor || null,
  manages: (r.manages ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean),
});

/** Problems by where they are in the file: departments before members, each in file order. */
function byPosition(problems: string[]): string[] {
  const rank = (p: string) => {
    const m = /^(departments|members)\[(\d+)\]/.exec(p);
    return m ? (m[1] === 'departments' ? 1 : 2) * 1e7 + Number(m[2]) : 0;
  };
  return problems
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.p);
}

/**
 * An org file as an import plan, or a ValidationError with every problem of the file by path. The format is
 * `options.format` when given (the CLI's --format), else read from the content (detectOrgFormat); the file
 * name is kept for callers and no longer decides.
 */
export function parseOrgFile(
  text: string,
  _filename?: string,
  options: { format?: OrgFileFormat } = {},
): OrgImportPlan {
  const tooBig = sizeProblem(text);
  if (tooBig) throw new ValidationError([tooBig]);
  const format = options.format ?? detectOrgFormat(text);
  const problems: string[] = [];
  const raw = format === 'csv' ? csvOrg(text, problems) : parseDocument(text, format);
  const parsed = orgSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) problems.push(...issueProblems(orgSchema, parsed.error.issues));
  problems.push(...crossProblems(raw));
  if (problems.length || !parsed.success) throw new ValidationError(byPosition([...new Set(problems)]));
  const org = parsed.data;
  const deptNames = new Set<string>(org.departments.map((d) => d.name));
  for (const m of org.members) if (m.department) deptNames.add(m.department);
  return {
    departments: [...deptNames].map((name) => ({
      name,
      parent: org.departments.find((d) => d.name === name)?.parent ?? null,
    })),
    members: org.members.map((m) => ({
      displayName: m.name,
      slackUserId: m.slack,
      feishuOpenId: m.feishu,
      role: m.role,
      locale: m.locale,
      timeZone: m.timezone,
      departmentName: m.department,
      supervisor: m.supervisor,
      managerOf: [
        ...m.manages,
        ...org.departments
          .filter((d) => d.manager && [m.name, m.slack, m.feishu].includes(d.manager))
          .map((d) => d.name),
      ],
    })),
  };
}
