// `overdue`: findings past their deadline, then those whose plan is late, answered from the database.

import { t } from '../i18n/t.js';
import type { OrgService } from '../org/service.js';
import type { Department, Member } from '../ports.js';
import { formatDateTime, truncate } from '../shared/format.js';
import type { Reply } from '../views/types.js';
import { overdueMessage } from './lists.js';
import { type FindingRecord, type FindingRepo, ownerOf } from './types.js';

export interface OverdueDeps {
  findings: FindingRepo;
  org: OrgService;
  /** When an open finding's plan is due (reminder rules); without it late plans are not listed. */
  planDueAt?: (f: Pick<FindingRecord, 'createdAt'>, owner: Member | null) => Date | null;
}

const FINDINGS_LIMIT = 30;
/** Open findings read to find late plans (the oldest first); beyond this `overdue` says how many more are open. */
const PLAN_SCAN_LIMIT = 1000;

/** `overdue [dept]` for a department the reader may see (null: every department). */
export async function overdueReply(d: OverdueDeps, me: Member, dept: Department | null, now: Date): Promise<Reply> {
  const { locale } = me;
  const { rows, total } = await d.findings.list({
    departmentId: dept?.id ?? null,
    statuses: ['open', 'planned', 'in_progress'],
    deadlineBefore: now,
    limit: FINDINGS_LIMIT,
  });
  const late = await latePlans(d, dept?.id ?? null, new Set(rows.map((r) => r.id)), now);
  const owners = await d.org.membersByIds([...new Set([...rows, ...late.rows.map((l) => l.f)].map(ownerOf))]);
  const names = new Map(owners.map((m) => [m.id, m.displayName]));
  const depts = new Map((await d.org.listDepartments()).map((x) => [x.id, x]));
  const scope = dept?.name ?? t(locale, 'status.allDepts');
  const message = overdueMessage({ rows, total, scope, names, depts }, me, now);
  if (late.rows.length === 0) return { kind: 'message', visibility: 'private', message };
  // Findings whose plan is late (never submitted) follow the late deadlines, each line saying so.
  const room = Math.max(0, FINDINGS_LIMIT - rows.length);
  const lines = late.rows.slice(0, room).map(({ f, dueAt, owner }) => {
    const who = ownerOf(f);
    const days = Math.max(1, Math.ceil((now.getTime() - dueAt.getTime()) / 86_400_000));
    return (
      '- ' +
      t(locale, 'overdue.planLine', {
        id: f.id,
        severity: t(locale, `severity.${f.severity}`),
        description: truncate(f.description, 100),
        owner: names.get(who) ?? `#${who}`,
        dept: depts.get(f.departmentId)?.name ?? '?',
        days: t(locale, 'age.days', { n: days }),
        date: formatDateTime(dueAt, locale, owner?.timeZone ?? me.timeZone),
      })
    );
  });
  if (late.total > lines.length) lines.push(t(locale, 'findings.more', { n: late.total - lines.length }));
  const title = t(locale, 'overdue.title', { scope });
  const head = rows.length > 0 ? message.blocks : [{ kind: 'header' as const, text: title }];
  return {
    kind: 'message',
    visibility: 'private',
    message: {
      ...message,
      text: `${title}: ${total + late.total}`,
      blocks: [...head, { kind: 'text', text: lines.join('\n') }],
    },
  };
}

/** Open findings whose plan is past due (not already listed), the longest late first. */
async function latePlans(
  d: OverdueDeps,
  departmentId: number | null,
  listed: Set<number>,
  now: Date,
): Promise<{ rows: Array<{ f: FindingRecord; dueAt: Date; owner: Member | null }>; total: number }> {
  const planDueAt = d.planDueAt;
  if (!planDueAt) return { rows: [], total: 0 };
  const open = (await d.findings.list({ departmentId, statuses: ['open'], limit: PLAN_SCAN_LIMIT })).rows.filter(
    (f) => !listed.has(f.id),
  );
  const owners = new Map((await d.org.membersByIds([...new Set(open.map(ownerOf))])).map((m) => [m.id, m]));
  const rows = open.flatMap((f) => {
    const owner = owners.get(ownerOf(f)) ?? null;
    const dueAt = planDueAt(f, owner);
    return dueAt && dueAt < now ? [{ f, dueAt, owner }] : [];
  });
  rows.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.f.id - b.f.id);
  return { rows, total: rows.length };
}
