// What people read about evaluation cycles: the participant's card (one per person it concerns, updated in
// place), the peer nomination card, `eval status`, the "waiting for me" lines, and the short private answers
// every part of the cycle service gives.

import type { MessageKey } from '../../i18n/messages.js';
import { t } from '../../i18n/t.js';
import type { Locale, Role } from '../../ports.js';
import { formatDateTime } from '../../shared/format.js';
import { noneMessage, titledMessage } from '../../views/lists.js';
import type { Block, Button, FormOutcome, MessageView, Reply } from '../../views/types.js';
import type { EvalAction, PendingKind } from './rules.js';
import type { CycleRecord, ParticipantRecord, Stage } from './types.js';

export const EVAL_ACTION_PREFIX = 'eval.';

export const say = (text: string, tone: 'warning' | 'success' | 'danger' = 'warning'): Reply => ({
  kind: 'message',
  visibility: 'private',
  message: { text, tone, blocks: [{ kind: 'text', text }] },
});
export const refused = (message: string): FormOutcome => ({ kind: 'refused', message });
/** A step saved; with the actor's card of the participant as the step left it, under the line that says so. */
export const saved = (text: string, card?: MessageView): FormOutcome => ({
  kind: 'done',
  message: { text, tone: 'success', blocks: [{ kind: 'text', text }, ...(card?.blocks ?? [])] },
});
export const denied = (me: { locale: Locale }, roles: Role[]): Reply =>
  say(t(me.locale, 'perm.denied', { roles: roles.map((r) => t(me.locale, `role.${r}`)).join(' / ') }));
/** The cycle a command named was not found, or there is none at all. */
export const noCycle = (l: Locale, name?: string): Reply =>
  say(name ? t(l, 'evaluation.cycle.unknown', { name }) : t(l, 'evaluation.cycle.none'));

export interface Reader {
  id: number;
  locale: Locale;
  timeZone: string;
}

export interface CardData {
  cycle: CycleRecord;
  participant: ParticipantRecord;
  memberName: string;
  supervisorName: string | null;
  actions: EvalAction[];
  /** Whether the reader may see the score and grade (privacy.ts). */
  showResult: boolean;
  peers?: { approved: number; answered: number };
  lead?: string;
}

const stageLabel = (l: Locale, s: Stage) => t(l, `evaluation.stage.${s}` as MessageKey);
const buttonStyle = (a: EvalAction): Button['style'] =>
  a === 'decline' ? 'danger' : a === 'result' || a === 'nominate' ? undefined : 'primary';

export const periodOf = (c: Pick<CycleRecord, 'name'>) => c.name;

export function participantCard(d: CardData, reader: Reader): MessageView {
  const l = reader.locale;
  const p = d.participant;
  const title = t(l, 'evaluation.card.title', {
    name: d.memberName,
    period: periodOf(d.cycle),
    cycle: t(l, `evaluation.cycle.${d.cycle.kind}`),
  });
  const blocks: Block[] = [{ kind: 'header', text: title }];
  if (d.lead) blocks.push({ kind: 'text', text: d.lead });
  const fields = [
    {
      label: t(l, 'evaluation.card.stage'),
      value:
        d.cycle.status === 'closed' && p.stage !== 'done'
          ? `${stageLabel(l, p.stage)} · ${t(l, 'evaluation.card.closed')}`
          : stageLabel(l, p.stage),
    },
    { label: t(l, 'evaluation.card.deadline'), value: formatDateTime(d.cycle.deadline, l, reader.timeZone) },
    { label: t(l, 'evaluation.card.supervisor'), value: d.supervisorName ?? t(l, 'common.none') },
    {
      label: t(l, 'evaluation.card.steps'),
      value: [
        p.selfAt ? '✓' : '·',
        p.supervisorAt ? '✓' : '·',
        p.reviewedAt ? '✓' : '·',
        p.acknowledgedAt ? '✓' : '·',
      ].join(' '),
    },
  ];
  if (d.peers && d.cycle.kind === 'annual')
    fields.push({ label: t(l, 'evaluation.card.peers'), value: `${d.peers.answered} / ${d.peers.approved}` });
  if (d.showResult && p.overallScore !== null)
    fields.push({ label: t(l, 'evaluation.overall'), value: `${p.overallScore.toFixed(1)} · ${p.grade ?? ''}` });
  blocks.push({ kind: 'fields', fields });
  const buttons: Button[] = d.actions.map((a) => ({
    actionId: `${EVAL_ACTION_PREFIX}${a}`,
    label: t(l, `evaluation.action.${a}` as MessageKey),
    value: String(p.id),
    ...(buttonStyle(a) ? { style: buttonStyle(a) } : {}),
  }));
  if (buttons.length) blocks.push({ kind: 'actions', buttons });
  return { text: d.lead ? `${title}: ${d.lead}` : title, tone: p.stage === 'done' ? 'success' : 'default', blocks };
}

/** The card a supervisor gets for one nomination, with approve and decline while it is undecided (and the cycle open). */
export function nominationCard(
  d: {
    participantId: number;
    peerId: number;
    memberName: string;
    peerName: string;
    status: 'proposed' | 'approved' | 'declined';
    period: string;
    closed?: boolean;
  },
  reader: Reader,
): MessageView {
  const l = reader.locale;
  const text = t(l, `evaluation.nomination.${d.status}`, { member: d.memberName, peer: d.peerName, period: d.period });
  const blocks: Block[] = [{ kind: 'text', text }];
  if (d.closed) blocks.push({ kind: 'context', text: t(l, 'evaluation.notice.closedCard') });
  else if (d.status === 'proposed')
    blocks.push({
      kind: 'actions',
      buttons: [
        {
          actionId: `${EVAL_ACTION_PREFIX}approve`,
          label: t(l, 'evaluation.action.approve'),
          value: `${d.participantId}:${d.peerId}`,
          style: 'primary',
        },
        {
          actionId: `${EVAL_ACTION_PREFIX}decline`,
          label: t(l, 'evaluation.action.decline'),
          value: `${d.participantId}:${d.peerId}`,
          style: 'danger',
        },
      ],
    });
  return { text, blocks };
}

export interface StatusRow {
  department: string;
  counts: Record<Stage, number>;
}

export function statusMessage(cycle: CycleRecord, rows: StatusRow[], reader: Reader): MessageView {
  const l = reader.locale;
  const title = t(l, 'evaluation.status.title', {
    period: cycle.name,
    cycle: t(l, `evaluation.cycle.${cycle.kind}`),
    status: t(l, `evaluation.status.${cycle.status}`),
  });
  const stages: Stage[] = ['self', 'supervisor', 'review', 'acknowledge', 'done'];
  const lines = rows.map((r) => {
    const total = stages.reduce((n, s) => n + r.counts[s], 0);
    const pct = total === 0 ? 0 : Math.round((r.counts.done / total) * 100);
    return (
      '- ' +
      t(l, 'evaluation.status.line', {
        dept: r.department,
        total,
        stages: stages.map((s) => `${stageLabel(l, s)} ${r.counts[s]}`).join(' · '),
        pct,
      })
    );
  });
  return {
    text: title,
    blocks: [
      { kind: 'header', text: title },
      {
        kind: 'context',
        text: t(l, 'evaluation.status.deadline', { deadline: formatDateTime(cycle.deadline, l, reader.timeZone) }),
      },
      { kind: 'text', text: lines.join('\n') || t(l, 'common.none') },
    ],
  };
}

export interface PendingLine {
  participantId: number;
  kind: PendingKind;
  memberName: string;
  period: string;
  deadline: Date;
  /** peer-decide lines act on "<participant>:<peer>". */
  value?: string;
}

const ACTION_OF: Record<PendingKind, EvalAction> = {
  self: 'self',
  supervisor: 'supervisor',
  peer: 'peer',
  decide: 'approve',
  customer: 'customer',
  score: 'finalize',
  review: 'review',
  ack: 'ack',
};

export function pendingText(lines: PendingLine[], reader: Reader): string {
  const l = reader.locale;
  return lines
    .map(
      (x) =>
        '- ' +
        t(l, `evaluation.pending.${x.kind}`, {
          name: x.memberName,
          period: x.period,
          deadline: formatDateTime(x.deadline, l, reader.timeZone),
        }),
    )
    .join('\n');
}

export function pendingButtons(lines: PendingLine[], reader: Reader, max = 10): Button[] {
  const out: Button[] = [];
  for (const x of lines) {
    if (out.length >= max || x.kind === 'decide') continue;
    const a = ACTION_OF[x.kind];
    out.push({
      actionId: `${EVAL_ACTION_PREFIX}${a}`,
      value: String(x.participantId),
      label: `${x.memberName} · ${t(reader.locale, `evaluation.action.${a}` as MessageKey)}`,
    });
  }
  return out;
}

/** `eval mine` (and the section of `my`). */
export function pendingMessage(lines: PendingLine[], reader: Reader): MessageView {
  const l = reader.locale;
  const title = t(l, 'evaluation.pending.title');
  if (lines.length === 0) return noneMessage(title, t(l, 'evaluation.pending.none'));
  const buttons = pendingButtons(lines, reader);
  const actions = buttons.length ? [{ kind: 'actions' as const, buttons }] : [];
  return titledMessage(title, lines.length, pendingText(lines, reader), actions);
}
