// One message per person per sweep: every reminder due for them, most urgent first, with a button to act
// on each finding.

import { t } from '../i18n/t.js';
import type { Member } from '../ports.js';
import type { FindingRecord } from '../rectification/types.js';
import { ownerOf } from '../rectification/types.js';
import { FINDING_ACTION_PREFIX, HISTORY_ACTION } from '../rectification/views.js';
import { truncate } from '../shared/format.js';
import { lit } from '../views/text.js';
import type { Button, MessageView } from '../views/types.js';
import type { ReminderIntent } from './plan.js';

const MAX_LINES = 20;
const MAX_BUTTONS = 10;

/** The step a reminder asks its reader to take. */
function actionFor(i: ReminderIntent, f: FindingRecord, reader: Member): Button['actionId'] {
  if (i.kind === 'acceptance_waiting') return `${FINDING_ACTION_PREFIX}accept`;
  if (i.kind === 'plan_due' || i.kind === 'plan_overdue') return `${FINDING_ACTION_PREFIX}plan`;
  if (reader.id === ownerOf(f)) return `${FINDING_ACTION_PREFIX}${i.kind === 'deadline_soon' ? 'progress' : 'submit'}`;
  return HISTORY_ACTION;
}

/** `extra`: lines and buttons of other reminders in the same digest (pending evaluations), after the findings'. */
export function digestMessage(
  reader: Member,
  intents: ReminderIntent[],
  findings: Map<number, FindingRecord>,
  names: Map<number, string>,
  extra?: { lines: string[]; buttons: Button[]; escalated: boolean },
): MessageView {
  const l = reader.locale;
  const title = t(l, 'digest.title', { n: intents.length + (extra?.lines.length ?? 0) });
  const lines = intents.slice(0, MAX_LINES).map((i) => {
    const f = findings.get(i.findingId)!;
    const d = i.detail;
    const owner = names.get(ownerOf(f)) ?? `#${ownerOf(f)}`;
    const what = t(l, `digest.${i.kind}`, {
      date: d.planDueDate ?? d.deadlineDate ?? '',
      left: d.daysLeft ?? 0,
      overdue: d.daysOverdue ?? 0,
      waiting: d.waitingDays ?? 0,
      owner,
    });
    return `- *#${f.id}* [${t(l, `severity.${f.severity}`)}] ${lit(truncate(f.description, 80))} — ${what}`;
  });
  if (intents.length > MAX_LINES) lines.push(t(l, 'digest.more', { n: intents.length - MAX_LINES }));
  const buttons: Button[] = [];
  for (const i of intents) {
    if (buttons.length >= MAX_BUTTONS) break;
    const f = findings.get(i.findingId)!;
    if (buttons.some((b) => b.value === String(f.id))) continue;
    const actionId = actionFor(i, f, reader);
    const step = actionId.slice(FINDING_ACTION_PREFIX.length);
    buttons.push({
      actionId,
      value: String(f.id),
      label: `#${f.id} ${t(l, step === 'history' ? 'action.history' : (`action.${step}` as 'action.plan'))}`,
    });
  }
  if (extra) {
    const room = Math.max(0, MAX_LINES - intents.length);
    lines.push(...extra.lines.slice(0, room));
    if (extra.lines.length > room && intents.length <= MAX_LINES)
      lines.push(t(l, 'digest.more', { n: extra.lines.length - room }));
    for (const b of extra.buttons) if (buttons.length < MAX_BUTTONS) buttons.push(b);
  }
  const escalated =
    intents.some((i) => i.kind.includes('escalation') || i.kind.endsWith('overdue')) || (extra?.escalated ?? false);
  return {
    text: `${title}: ${lines[0]?.slice(2) ?? ''}`,
    tone: escalated ? 'danger' : 'warning',
    blocks: [
      { kind: 'header', text: title },
      { kind: 'text', text: lines.join('\n') },
      { kind: 'context', text: t(l, 'digest.footer') },
      ...(buttons.length ? [{ kind: 'actions' as const, buttons }] : []),
    ],
  };
}
