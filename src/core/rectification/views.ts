// A finding as each person sees it: its state, and the buttons for the steps that person may take.

import { stepActions } from '../flows/buttons.js';
import type { FlowEvent } from '../flows/definition.js';
import { flowHistory } from '../flows/history.js';
import type { MessageKey } from '../i18n/messages.js';
import { t } from '../i18n/t.js';
import type { Department, Locale, Member } from '../ports.js';
import { formatDateTime, truncate } from '../shared/format.js';
import { lit } from '../views/text.js';
import type { Block, MessageView } from '../views/types.js';
import { availableActions, RECTIFICATION_RULES } from './lifecycle.js';
import { type FindingAction, type FindingRecord, ownerOf } from './types.js';

export interface CardContext {
  locale: Locale;
  timeZone: string;
  deptName: string;
  dimension: string;
  item: string;
  names: Map<number, string>;
  actions: FindingAction[];
  /** A line on top saying why this card was sent (new finding, a notice). */
  lead?: string;
  /** When the plan is due (open findings). */
  planDueAt?: Date | null;
}

/** A card's buttons are named `finding.<step>` and `finding.history`, as the flow registers them. */
export const FINDING_ACTION_PREFIX = 'finding.';
export const HISTORY_ACTION = 'finding.history';

const statusLabel = (locale: Locale, s: string) => t(locale, `status.${s}` as MessageKey);
const when = (at: Date | null | undefined, c: Pick<CardContext, 'locale' | 'timeZone'>) =>
  at ? formatDateTime(at, c.locale, c.timeZone) : t(c.locale, 'finding.none');

export function findingCard(f: FindingRecord, c: CardContext): MessageView {
  const { locale } = c;
  const name = (id: number) => lit(c.names.get(id) ?? `#${id}`);
  const title = t(locale, f.status === 'open' && f.version === 0 ? 'finding.newTitle' : 'finding.title', {
    id: f.id,
    severity: t(locale, `severity.${f.severity}`),
  });
  const blocks: Block[] = [{ kind: 'header', text: title }];
  if (c.lead) blocks.push({ kind: 'text', text: c.lead });
  blocks.push(
    {
      kind: 'context',
      text: t(locale, 'finding.context', {
        dept: c.deptName,
        dimension: c.dimension,
        item: truncate(c.item, 80),
        inspection: f.inspectionId,
      }),
    },
    {
      kind: 'text',
      text:
        lit(truncate(f.description, 1500)) +
        (f.impact ? `\n_${t(locale, 'finding.impact')}: ${lit(truncate(f.impact.trim(), 300))}_` : ''),
    },
    {
      kind: 'fields',
      fields: [
        { label: t(locale, 'finding.status'), value: statusLabel(locale, f.status) },
        { label: t(locale, 'finding.owner'), value: name(ownerOf(f)) },
        f.deadline || f.status !== 'open'
          ? { label: t(locale, 'finding.deadline'), value: when(f.deadline, c) }
          : { label: t(locale, 'finding.planDue'), value: when(c.planDueAt, c) },
        { label: t(locale, 'finding.progress'), value: `${f.progressPercent}%` },
        {
          label: t(locale, 'finding.counts'),
          value: `${f.rejectionCount} / ${f.reminderCount} / ${f.escalationCount}`,
        },
        ...(f.responsibleMemberId !== ownerOf(f)
          ? [{ label: t(locale, 'finding.responsible'), value: name(f.responsibleMemberId) }]
          : []),
      ],
    },
  );
  if (f.planMeasures)
    blocks.push({
      kind: 'text',
      text:
        `*${t(locale, 'finding.measures')}*\n${lit(truncate(f.planMeasures, 1000))}` +
        (f.planSupport ? `\n*${t(locale, 'finding.support')}*\n${lit(truncate(f.planSupport, 500))}` : ''),
    });
  blocks.push(
    stepActions(RECTIFICATION_RULES.key, f.id, c.actions, locale, {
      label: (a) => t(locale, `action.${a}`),
      primary: ['accept', 'plan', 'submit'],
      danger: ['reject'],
    }),
  );
  return {
    text: `${title}: ${lit(truncate(f.description, 200))}`,
    tone:
      f.status === 'accepted' ? 'success' : f.severity === 'critical' || f.severity === 'high' ? 'danger' : 'warning',
    blocks,
  };
}

export function historyMessage(
  f: FindingRecord,
  events: FlowEvent[],
  names: Map<number, string>,
  c: Pick<CardContext, 'locale' | 'timeZone'>,
): MessageView {
  const { locale } = c;
  return flowHistory(events, names, c, {
    title: t(locale, 'finding.historyTitle', { id: f.id }),
    action: (a) => t(locale, `action.${a}` as MessageKey),
    state: (s) => statusLabel(locale, s),
  });
}

/**
 * A new finding's first card for its responsible person, drawn from what the inspection that found it holds
 * (the inspection gets this through its deps, so that neither feature imports the other).
 */
export function newFindingCard(
  f: FindingRecord,
  reader: Member,
  c: { dept: Department; dimension: string; item: string; lead: string; planDueAt: Date | null },
): MessageView {
  return findingCard(f, {
    locale: reader.locale,
    timeZone: reader.timeZone,
    deptName: c.dept.name,
    dimension: c.dimension,
    item: c.item,
    names: new Map([[reader.id, reader.displayName]]),
    actions: availableActions(f, { member: reader, departmentManagerId: c.dept.managerId }),
    lead: c.lead,
    planDueAt: c.planDueAt,
  });
}
