// The stored organisation in the import format (docs/operations.md, "Org import format"), so that an export
// imported into an empty database exports the same file again. People are named by their Slack or Feishu id
// where they have one, since names need not be unique.
import YAML from 'yaml';
import { CSV_COLUMNS } from '../core/org/import.js';
import type { Department, Member } from '../core/ports.js';

export type OrgExportFormat = 'yaml' | 'json' | 'csv';

interface OrgDocument {
  departments: Array<{ name: string; parent?: string; manager?: string }>;
  members: Array<{
    name: string;
    slack?: string;
    feishu?: string;
    role: string;
    department?: string;
    locale: string;
    timezone: string;
    supervisor?: string;
  }>;
}

const refOf = (m: Member) => m.slackUserId ?? m.feishuOpenId ?? m.displayName;

/** Departments by name, members by id (the order an import creates them in). */
export function orgDocument(departments: Department[], members: Member[]): OrgDocument {
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const memberById = new Map(members.map((m) => [m.id, m]));
  const ref = (id: number | null | undefined) => {
    const m = id == null ? undefined : memberById.get(id);
    return m ? refOf(m) : undefined;
  };
  const sorted = [...departments].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    departments: sorted.map((d) => ({
      name: d.name,
      ...(d.parentId !== null && deptName.has(d.parentId) ? { parent: deptName.get(d.parentId)! } : {}),
      ...(ref(d.managerId) ? { manager: ref(d.managerId)! } : {}),
    })),
    members: [...members]
      .sort((a, b) => a.id - b.id)
      .map((m) => ({
        name: m.displayName,
        ...(m.slackUserId ? { slack: m.slackUserId } : {}),
        ...(m.feishuOpenId ? { feishu: m.feishuOpenId } : {}),
        role: m.role,
        ...(m.departmentId !== null && deptName.has(m.departmentId)
          ? { department: deptName.get(m.departmentId)! }
          : {}),
        locale: m.locale,
        timezone: m.timeZone,
        ...(ref(m.supervisorId) ? { supervisor: ref(m.supervisorId)! } : {}),
      })),
  };
}

const CSV_HEADER = CSV_COLUMNS;

function csvCell(v: string | undefined): string {
  const s = v ?? '';
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV: a row per department first (only `department` and `parent`), then a row per member; who manages a
 * department is on the manager's row (`manages`, names separated by `;`).
 */
function orgCsv(doc: OrgDocument): string {
  const rows = doc.departments.map((d) => ['', '', '', '', d.name, d.parent, '', '', '', '']);
  for (const m of doc.members) {
    const ids = [m.slack, m.feishu, m.name];
    const manages = doc.departments.filter((d) => d.manager && ids.includes(d.manager)).map((d) => d.name);
    rows.push([
      m.name,
      m.slack,
      m.feishu,
      m.role,
      m.department,
      '',
      m.locale,
      m.timezone,
      m.supervisor,
      manages.join(';'),
    ]);
  }
  return `${[CSV_HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

export function formatOrg(departments: Department[], members: Member[], format: OrgExportFormat): string {
  const doc = orgDocument(departments, members);
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  if (format === 'csv') return orgCsv(doc);
  return YAML.stringify(doc);
}
