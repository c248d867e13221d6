// `dudao org import|list|export`: the organisation from and to files, and what is stored.
import { memberDefaults } from '../config/env.js';
import { MAX_ORG_FILE_BYTES, type OrgFileFormat, parseOrgFile } from '../core/org/import.js';
import { PrismaOrgRepo } from '../store/org-repo.js';
import type { DbContext } from './context.js';
import { str } from './context.js';
import { readInputFile, writeOutputFile } from './files.js';
import { printJson, printTable } from './io.js';
import { formatOrg, type OrgExportFormat } from './org-export.js';

/** Above this many members an import says on stderr what it is doing, since it may take a while. */
const PROGRESS_FROM_MEMBERS = 200;

export async function orgImport({ db, args, options, io, env }: DbContext): Promise<number> {
  const file = args[0]!;
  const started = Date.now();
  const text = readInputFile(file, MAX_ORG_FILE_BYTES);
  const format = str(options.format) as OrgFileFormat | undefined;
  const plan = parseOrgFile(text, file, format ? { format } : {});
  const loud = plan.members.length >= PROGRESS_FROM_MEMBERS;
  if (loud)
    io.err(
      `${file}: ${plan.members.length} members and ${plan.departments.length} departments are valid; checking them against the database and writing (one transaction)\n`,
    );
  // New members get the configured defaults; existing ones keep whatever the file leaves out.
  const r = await new PrismaOrgRepo(db.prisma).importOrg(plan, memberDefaults(env));
  if (loud) io.err(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  io.out(`imported ${r.departments} departments and ${r.members} members\n`);
  return 0;
}

export async function orgList({ db, options, io }: DbContext): Promise<number> {
  const repo = new PrismaOrgRepo(db.prisma);
  const [departments, members] = await Promise.all([repo.listDepartments(), repo.listMembers()]);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const memberName = new Map(members.map((m) => [m.id, m.displayName]));
  if (options.departments) {
    const counts = new Map<number, number>();
    for (const m of members)
      if (m.departmentId !== null) counts.set(m.departmentId, (counts.get(m.departmentId) ?? 0) + 1);
    const rows = departments.map((d) => ({
      id: d.id,
      name: d.name,
      parent: d.parentId === null ? null : (deptName.get(d.parentId) ?? null),
      manager: d.managerId === null ? null : (memberName.get(d.managerId) ?? null),
      members: counts.get(d.id) ?? 0,
    }));
    if (options.json) printJson(io, rows);
    else
      printTable(
        io,
        ['ID', 'NAME', 'PARENT', 'MANAGER', 'MEMBERS'],
        rows.map((r) => [String(r.id), r.name, r.parent ?? '-', r.manager ?? '-', String(r.members)]),
        'no departments',
      );
    return 0;
  }
  const rows = members.map((m) => ({
    id: m.id,
    name: m.displayName,
    role: m.role,
    department: m.departmentId === null ? null : (deptName.get(m.departmentId) ?? null),
    slack: m.slackUserId,
    feishu: m.feishuOpenId,
    locale: m.locale,
    timezone: m.timeZone,
    supervisor: m.supervisorId == null ? null : (memberName.get(m.supervisorId) ?? null),
  }));
  if (options.json) printJson(io, rows);
  else
    printTable(
      io,
      ['ID', 'NAME', 'ROLE', 'DEPARTMENT', 'SLACK', 'FEISHU', 'LOCALE', 'TIMEZONE', 'SUPERVISOR'],
      rows.map((r) => [
        String(r.id),
        r.name,
        r.role,
        r.department ?? '-',
        r.slack ?? '-',
        r.feishu ?? '-',
        r.locale,
        r.timezone,
        r.supervisor ?? '-',
      ]),
      'no members',
    );
  return 0;
}

export async function orgExport({ db, options, io }: DbContext): Promise<number> {
  const repo = new PrismaOrgRepo(db.prisma);
  const [departments, members] = await Promise.all([repo.listDepartments(), repo.listMembers()]);
  const out = str(options.out);
  const format = (str(options.format) ??
    (out && /\.csv$/i.test(out) ? 'csv' : out && /\.json$/i.test(out) ? 'json' : 'yaml')) as OrgExportFormat;
  const text = formatOrg(departments, members, format);
  if (!out) {
    io.out(text);
    return 0;
  }
  writeOutputFile(out, text);
  io.out(`wrote ${out} (${format}, ${departments.length} departments, ${members.length} members)\n`);
  return 0;
}
