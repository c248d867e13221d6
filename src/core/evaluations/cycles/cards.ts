// The outbox rows a step writes in its own transition: each person a participant concerns (the member, the
// supervisor, approved peers) has one card of it, updated in place (refKey per participant per person), and
// whoever must act next gets a notice. Dedupe keys carry the participant's version and the step's tag, so a
// retried transition queues nothing twice while every later step queues a fresh version of the card.

import type { MessageKey } from '../../i18n/messages.js';
import { t } from '../../i18n/t.js';
import type { OrgService } from '../../org/service.js';
import { platformFor } from '../../org/service.js';
import type { Member, OutboxItem, Platform } from '../../ports.js';
import { mayView } from '../privacy.js';
import {
  accessContext,
  approvedPeers,
  cardActions,
  type EvalAction,
  type ParticipantState,
  peersPending,
  pendingOwners,
  viewerOf,
} from './rules.js';
import type { CycleRecord, Stage } from './types.js';
import { nominationCard, participantCard } from './views.js';

export interface NoticeOptions {
  step?: EvalAction | 'customer';
  /** The stage before the step: a notice goes out only when the step moved the participant on. */
  previous?: Stage;
  tag: string;
  now: Date;
}

/**
 * The member's and the supervisor's cards (and the peers' after a decision), brought up to date; a notice to
 * whoever must act next, and the result to the member once the review is recorded.
 */
export async function notifications(
  org: Pick<OrgService, 'membersByIds'>,
  s: ParticipantState,
  actor: Member | null,
  platform: Platform,
  o: NoticeOptions,
): Promise<OutboxItem[]> {
  const p = s.participant;
  const peers = approvedPeers(s);
  const ids = [p.memberId, p.supervisorId, ...peers].filter((x): x is number => x !== null);
  const people = new Map((await org.membersByIds([...new Set(ids)])).map((m) => [m.id, m]));
  const out: OutboxItem[] = [];
  const memberName = people.get(p.memberId)?.displayName ?? `#${p.memberId}`;
  const moved = o.previous !== undefined && o.previous !== p.stage;
  const next = new Map<number, string>();
  const lead = (reader: Member, key: MessageKey) =>
    t(reader.locale, key, { name: memberName, actor: actor?.displayName ?? '', period: s.cycle.name });
  if (moved && p.stage === 'supervisor' && p.supervisorId) next.set(p.supervisorId, 'evaluation.notice.selfDone');
  if (moved && p.stage === 'review' && p.supervisorId) next.set(p.supervisorId, 'evaluation.notice.scored');
  if (moved && p.stage === 'acknowledge') next.set(p.memberId, 'evaluation.notice.reviewed');
  for (const [id, key] of next) {
    const reader = people.get(id);
    const where = reader ? platformFor(reader, platform) : null;
    if (!reader || !where || id === actor?.id) continue;
    const text = lead(reader, key as MessageKey);
    out.push({
      ...where,
      message: { text, blocks: [{ kind: 'text', text }] },
      dedupeKey: `eval:${p.id}:v${p.version}:${o.tag}:notice:${id}`,
    });
  }
  for (const id of [p.memberId, p.supervisorId]) {
    if (id === null) continue;
    const reader = people.get(id);
    if (!reader) continue;
    // The supervisor's card is posted when their part begins (or for a nomination); before, there is nothing to show them.
    const post = id === p.memberId || p.stage !== 'self' || s.nominations.length > 0;
    out.push(...cardItems(s, reader, people, platform, { post, tag: o.tag, actorId: actor?.id, now: o.now }));
  }
  for (const id of peers) {
    const reader = people.get(id);
    if (!reader) continue;
    out.push(
      ...cardItems(s, reader, people, platform, { post: true, tag: o.tag, actorId: actor?.id, peer: true, now: o.now }),
    );
  }
  return out;
}

/** One person's card of a participant (refKey per participant per person). */
export function cardItems(
  s: ParticipantState,
  reader: Member,
  people: Map<number, Member>,
  platform: Platform,
  o: { post: boolean; tag: string; lead?: string; actorId?: number; peer?: boolean; now: Date },
): OutboxItem[] {
  const where = platformFor(reader, platform);
  if (!where) return [];
  const p = s.participant;
  const showResult = mayView(viewerOf(reader), accessContext(s, null), 'result') === true;
  const peers = approvedPeers(s);
  const message = participantCard(
    {
      cycle: s.cycle,
      participant: p,
      memberName: people.get(p.memberId)?.displayName ?? `#${p.memberId}`,
      supervisorName: p.supervisorId ? (people.get(p.supervisorId)?.displayName ?? `#${p.supervisorId}`) : null,
      actions: o.peer
        ? cardActions(s, { member: reader }, o.now).filter((a) => a === 'peer')
        : cardActions(s, { member: reader }, o.now),
      showResult: !o.peer && showResult,
      peers: { approved: peers.length, answered: peers.length - peersPending(s).length },
      lead: o.lead,
    },
    reader,
  );
  const refKey = o.peer ? `eval:${p.id}:peer:${reader.id}` : `eval:${p.id}:card:${reader.id}`;
  return [
    {
      ...where,
      message,
      dedupeKey: `eval:${p.id}:v${p.version}:${o.tag}:card:${refKey}`,
      refKey,
      updateOnly: !o.post || reader.id === o.actorId,
    },
  ];
}

/**
 * What closing a cycle queues (lifecycle.ts `close`, in the closing transaction): every card its participants
 * have (the member's, the supervisor's, approved peers', the supervisor's undecided nominations) redrawn as
 * closed without buttons, as updates only, so nothing is posted where no card was; and one notice to each
 * person who still had a step to take (pendingOwners while the cycle was open), except the closer.
 * `states` are read while the cycle was open; `closed` is the cycle as closed.
 */
export function closingItems(
  states: readonly ParticipantState[],
  closed: CycleRecord,
  people: Map<number, Member>,
  closer: Member,
  platform: Platform,
  now: Date,
): { items: OutboxItem[]; cards: number; told: number } {
  const items: OutboxItem[] = [];
  let cards = 0;
  const owners = new Set<number>();
  for (const open of states) {
    const s: ParticipantState = { ...open, cycle: closed };
    const p = s.participant;
    for (const o of pendingOwners(open, now)) owners.add(o.memberId);
    const card = (id: number | null, peer: boolean) => {
      const reader = id === null ? undefined : people.get(id);
      if (!reader) return;
      const made = cardItems(s, reader, people, platform, {
        post: false,
        tag: 'close',
        lead: t(reader.locale, 'evaluation.notice.closedCard'),
        peer,
        now,
      });
      cards += made.length;
      items.push(...made);
    };
    card(p.memberId, false);
    if (p.supervisorId !== p.memberId) card(p.supervisorId, false);
    for (const id of approvedPeers(s)) card(id, true);
    const supervisor = p.supervisorId === null ? undefined : people.get(p.supervisorId);
    const where = supervisor ? platformFor(supervisor, platform) : null;
    if (supervisor && where)
      for (const n of s.nominations) {
        if (n.status !== 'proposed') continue;
        const message = nominationCard(
          {
            participantId: p.id,
            peerId: n.peerId,
            memberName: people.get(p.memberId)?.displayName ?? `#${p.memberId}`,
            peerName: people.get(n.peerId)?.displayName ?? `#${n.peerId}`,
            status: 'proposed',
            period: closed.name,
            closed: true,
          },
          supervisor,
        );
        items.push({
          ...where,
          message,
          dedupeKey: `eval:${p.id}:nom:${n.peerId}:closed`,
          refKey: `eval:${p.id}:nom:${n.peerId}`,
          updateOnly: true,
        });
        cards++;
      }
  }
  let told = 0;
  for (const id of owners) {
    const reader = people.get(id);
    const where = reader ? platformFor(reader, platform) : null;
    if (!reader || !where || id === closer.id) continue;
    const text = t(reader.locale, 'evaluation.notice.closed', {
      period: closed.name,
      cycle: t(reader.locale, `evaluation.cycle.${closed.kind}`),
    });
    items.push({
      ...where,
      message: { text, blocks: [{ kind: 'text', text }] },
      dedupeKey: `eval:cycle:${closed.id}:close:notice:${id}`,
    });
    told++;
  }
  return { items, cards, told };
}
