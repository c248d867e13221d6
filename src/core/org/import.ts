// `dudao org import <file.yaml|file.csv>`: a whole org in one validated file (format: docs/operations.md).
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { OrgImportPlan } from '../ports.js';
import { parseOrThrow, ValidationError } from '../shared/validation.js';
import { parseDocument } from '../templates/service.js';
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

const memberSchema = z
  .object({
    name: z.string({ error: 'expected a name' }).trim().min(1, 'expected a name').max(120),
    slack: optionalText.refine(
      (s) => s === null || /^[UW][A-Z0-9]{2,}$/.test(s),
      'expected a Slack user id like U012AB3CD',
    ),
    feishu: optionalText.refine(
      (s) => s === null || /^ou_[A-Za-z0-9]+$/.test(s),
      'expected a Feishu open_id like ou_…',
    ),
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
  })
  .refine((m) => m.slack || m.feishu, { message: 'expected a slack or feishu id', path: ['slack'] });

const orgSchema = z
  .object({
    departments: z
      .array(
        z.object({
          name: z.string({ error: 'expected a name' }).trim().min(1, 'expected a name').max(80),
          parent: optionalText,
          manager: optionalText,
        }),
      )
      .default([]),
    members: z.array(memberSchema).default([]),
  })
  .superRefine((org, ctx) => {
    const names = new Set(org.departments.map((d) => d.name));
    for (const m of org.members) if (m.department) names.add(m.department);
    org.departments.forEach((d, i) => {
      if (d.parent && !names.has(d.parent))
        ctx.addIssue({ code: 'custom', path: ['departments', i, 'parent'], message: `unknown department ${d.parent}` });
      if (d.manager && !org.members.some((m) => [m.name, m.slack, m.feishu].includes(d.manager)))
        ctx.addIssue({
          code: 'custom',
          path: ['departments', i, 'manager'],
          message: `no member named or with id ${d.manager}`,
        });
    });
    const seen = new Map<string, number>();
    org.members.forEach((m, i) => {
      for (const id of [m.slack, m.feishu]) {
        if (!id) continue;
        if (seen.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['members', i],
            message: `id ${id} also used by members[${seen.get(id)}]`,
          });
        seen.set(id, i);
      }
      if (m.supervisor && [m.name, m.slack, m.feishu].includes(m.supervisor))
        ctx.addIssue({
          code: 'custom',
          path: ['members', i, 'supervisor'],
          message: `a member cannot be their own supervisor`,
        });
      m.manages.forEach((d, j) => {
        if (!names.has(d))
          ctx.addIssue({ code: 'custom', path: ['members', i, 'manages', j], message: `unknown department ${d}` });
      });
    });
  });

function csvRows(text: string): unknown {
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
  // A column the file does not have is left undefined, so importing again keeps what is stored; an empty
  // department or supervisor cell clears it, an empty role, locale or timezone cell keeps it.
  return {
    members: rows.map((r) => ({
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
    })),
  };
}

export function parseOrgFile(text: string, filename: string): OrgImportPlan {
  const raw = /\.csv$/i.test(filename)
    ? csvRows(text)
    : parseDocument(text, /\.json$/i.test(filename) ? 'json' : 'yaml');
  const org = parseOrThrow(orgSchema, raw);
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
