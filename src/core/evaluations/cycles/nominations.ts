// Peer nominations of annual cycles: the `eval peers @a @b` command and the "Nominate peers" picker form share
// one path. The chosen platform users are mapped to members (someone the bot has never met is registered from
// their platform profile, as on first contact; only a person whose profile cannot be read is refused, by id),
// checked against the same rules (newNominees: not yourself, not your supervisor, nothing twice, at most
// MAX_PEERS; mayAct('nominate'): the member, an open annual cycle, before the score), and saved in one
// transition together with a card per nomination for the supervisor, who approves or declines each.
//
// The form lists everyone nominated so far (declined ones named under the intro). Its id carries the
// participant's version and the number of nominations, so a form opened before a step or another nomination
// is refused as stale. Nominations cannot be withdrawn (the supervisor declines instead): unticking one is an
// error on the field, like every other invalid choice, and nothing is saved.
//
// The supervisor's decision (the buttons on the nomination card) updates that card in place, with the
// participant's cards for everyone concerned: an approved peer gets one of their own, with their form button.

import { t } from '../../i18n/t.js';
import { type OrgService, platformFor, platformIdOf } from '../../org/service.js';
import type { Member, OutboxItem, Platform } from '../../ports.js';
import { onePageForm } from '../../views/forms.js';
import { markup, mentionOf } from '../../views/text.js';
import { type FormOutcome, type FormView, type Reply, userIdsOf } from '../../views/types.js';
import { notifications } from './cards.js';
import { EVAL_FORM_PREFIX } from './forms.js';
import { ANSWERING, type EvalAction, mayAct, type ParticipantState, type Refusal } from './rules.js';
import type { CycleRecord, EvaluationRepo, NominationRecord, ParticipantRecord, TransitionFailure } from './types.js';
import { nominationCard, refused, saved, say } from './views.js';

export const MAX_PEERS = 10;
export const PEERS_FORM = `${EVAL_FORM_PREFIX}peers`;
export const PEERS_FIELD = 'peers';

/** What the nominations need of the cycle service (context.ts). */
export interface NominationHost {
  repo: EvaluationRepo;
  org: OrgService;
  /** The member's participant in the newest open annual cycle. */
  annualParticipant(memberId: number): Promise<{ cycle: CycleRecord; participant: ParticipantRecord } | null>;
  state(p: ParticipantRecord, cycle?: CycleRecord | null): Promise<ParticipantState>;
  /** The participant's state when `me` may take `action` on it now; else the text that says why not. */
  allowed(me: Member, action: EvalAction, participantId: number, now: Date): Promise<ParticipantState | string>;
  refusal(me: Member, why: Refusal, action: EvalAction): string;
  failure(me: Member, reason: TransitionFailure, action: EvalAction): string;
}

export type NomineeProblem =
  | { kind: 'notThem'; members: Member[] }
  | { kind: 'nothingNew' }
  | { kind: 'tooMany'; n: number };

/** Who of the chosen people is newly nominated, or why none can be (the first rule broken). */
export function newNominees(
  s: Pick<ParticipantState, 'participant' | 'nominations'>,
  me: Pick<Member, 'id'>,
  chosen: readonly Member[],
): { ok: true; fresh: Member[] } | { ok: false; problem: NomineeProblem } {
  const notThem = chosen.filter(
    (m, i) => (m.id === me.id || m.id === s.participant.supervisorId) && chosen.findIndex((x) => x.id === m.id) === i,
  );
  if (notThem.length > 0) return { ok: false, problem: { kind: 'notThem', members: notThem } };
  const fresh: Member[] = [];
  for (const m of chosen)
    if (!fresh.some((x) => x.id === m.id) && !s.nominations.some((n) => n.peerId === m.id)) fresh.push(m);
  if (fresh.length === 0) return { ok: false, problem: { kind: 'nothingNew' } };
  if (s.nominations.length + fresh.length > MAX_PEERS) return { ok: false, problem: { kind: 'tooMany', n: MAX_PEERS } };
  return { ok: true, fresh };
}

/** Slack user ids, Feishu open_ids; anything else is nobody the bot could look up. */
const PLATFORM_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class PeerNominations {
  /** `afterDecision`: scores the participant if the decision completed what it waited for (CycleSteps.scoreIfReady). */
  constructor(
    private readonly h: NominationHost,
    private readonly afterDecision?: (
      participantId: number,
      me: Member,
      platform: Platform,
      now: Date,
    ) => Promise<unknown>,
  ) {}

  /** `eval peers @a @b…`; without mentions, the picker form. */
  async command(me: Member, mentions: string[], platform: Platform, now: Date): Promise<Reply> {
    const l = me.locale;
    const found = await this.h.annualParticipant(me.id);
    if (!found) return say(t(l, 'evaluation.peers.noCycle'));
    const s = await this.h.state(found.participant, found.cycle);
    const ok = mayAct('nominate', s, { member: me }, now);
    if (ok !== true) return say(this.h.refusal(me, ok, 'nominate'));
    if (mentions.length === 0) return { kind: 'form', form: await this.form(me, s, platform) };
    const chosen = await this.resolve(platform, mentions);
    if (chosen.unknown.length > 0)
      return say(
        t(l, 'member.unknownMention', { mention: markup(chosen.unknown.map((id) => mentionOf(id).text).join(', ')) }),
      );
    const checked = newNominees(s, me, chosen.members);
    if (!checked.ok) return say(this.problem(me, checked.problem));
    const result = await this.save(me, s, checked.fresh, platform, now);
    return say(result.text, result.ok ? 'success' : 'warning');
  }

  /** The "Nominate peers" button on the member's card. */
  async open(me: Member, participantId: number, platform: Platform, now: Date): Promise<Reply> {
    const s = await this.h.allowed(me, 'nominate', participantId, now);
    if (typeof s === 'string') return say(s);
    return { kind: 'form', form: await this.form(me, s, platform) };
  }

  async submit(
    me: Member,
    formId: string,
    raw: Record<string, string | undefined>,
    platform: Platform,
    now: Date,
  ): Promise<FormOutcome> {
    const l = me.locale;
    const ref = /^(\d{1,10}):(\d{1,10}):(\d{1,4})$/.exec(formId);
    if (!ref) return refused(t(l, 'inspect.err.expired', { dept: '…' }));
    const s = await this.h.allowed(me, 'nominate', Number(ref[1]), now);
    if (typeof s === 'string') return refused(s);
    if (s.participant.version !== Number(ref[2]) || s.nominations.length !== Number(ref[3]))
      return refused(t(l, 'evaluation.refuse.stale'));

    const picked = userIdsOf(raw[PEERS_FIELD]);
    const invalid = async (error: string): Promise<FormOutcome> => ({
      kind: 'errors',
      errors: { [PEERS_FIELD]: error },
      summary: t(l, 'inspect.err.summary', { n: 1 }),
      // Kept as submitted (a tampered answer could hold any number of ids: a few more than allowed is enough to see).
      form: await this.form(me, s, platform, { picked: picked.slice(0, MAX_PEERS * 2), error }),
    });
    if (picked.length === 0 && s.nominations.length === 0) return invalid(t(l, 'inspect.err.required'));
    // More people than could ever pass the limit are refused before anyone's profile is looked up.
    if (picked.length > MAX_PEERS + s.nominations.length)
      return invalid(this.problem(me, { kind: 'tooMany', n: MAX_PEERS }));
    const chosen = await this.resolve(platform, picked);
    if (chosen.unknown.length > 0)
      return invalid(t(l, 'evaluation.peers.unknown', { names: chosen.unknown.join(', ') }));
    const dropped = s.nominations.filter(
      (n) => n.status !== 'declined' && !chosen.members.some((m) => m.id === n.peerId),
    );
    if (dropped.length > 0) {
      const names = (await this.h.org.membersByIds(dropped.map((n) => n.peerId))).map((m) => m.displayName);
      return invalid(t(l, 'evaluation.peers.keep', { names: names.join(', ') }));
    }
    const checked = newNominees(s, me, chosen.members);
    if (!checked.ok) return invalid(this.problem(me, checked.problem));
    const result = await this.save(me, s, checked.fresh, platform, now);
    if (!result.ok) return refused(result.text);
    return saved(result.text);
  }

  /** The supervisor's approve / decline on a nomination card. */
  async decide(
    me: Member,
    action: 'approve' | 'decline',
    participantId: number,
    peerId: number,
    platform: Platform,
    now: Date,
  ): Promise<Reply> {
    const s = await this.h.allowed(me, action, participantId, now);
    if (typeof s === 'string') return say(s);
    const p = s.participant;
    const nomination = s.nominations.find((n) => n.peerId === peerId);
    if (nomination?.status !== 'proposed') return say(t(me.locale, 'evaluation.refuse.stale'));
    const status = action === 'approve' ? 'approved' : 'declined';
    const projected: ParticipantState = {
      ...s,
      nominations: s.nominations.map(
        (n): NominationRecord => (n.id === nomination.id ? { ...n, status, decidedById: me.id, decidedAt: now } : n),
      ),
    };
    const [member, peer] = await Promise.all([this.h.org.memberById(p.memberId), this.h.org.memberById(peerId)]);
    const outbox = await notifications(this.h.org, projected, me, platform, { tag: `nom${peerId}${status}`, now });
    const where = platformFor(me, platform);
    if (where && member && peer)
      outbox.push({
        ...where,
        message: nominationCard(
          {
            participantId: p.id,
            peerId,
            memberName: member.displayName,
            peerName: peer.displayName,
            status,
            period: s.cycle.name,
          },
          me,
        ),
        dedupeKey: `eval:${p.id}:nom:${peerId}:${status}`,
        refKey: `eval:${p.id}:nom:${peerId}`,
        updateOnly: true,
      });
    const r = await this.h.repo.transition(
      {
        participantId: p.id,
        expectedStages: ANSWERING,
        patch: {},
        decide: { nominationId: nomination.id, status, decidedById: me.id, decidedAt: now },
        outbox,
      },
      now,
    );
    if (!r.ok) return say(this.h.failure(me, r.reason, action));
    // Declining the last undecided nomination may leave nothing to wait for.
    if (status === 'declined') await this.afterDecision?.(p.id, me, platform, now);
    return say(
      t(me.locale, `evaluation.nomination.${status}`, {
        member: member?.displayName ?? '',
        peer: peer?.displayName ?? '',
        period: s.cycle.name,
      }),
      'success',
    );
  }

  /** The picker, pre-filled with the nominations that stand (or with what was just submitted). */
  private async form(
    me: Member,
    s: ParticipantState,
    platform: Platform,
    o: { picked?: string[]; error?: string } = {},
  ): Promise<FormView> {
    const l = me.locale;
    const p = s.participant;
    const everyone = await this.h.org.members();
    const byId = new Map(everyone.map((m) => [m.id, m]));
    const supervisor =
      p.supervisorId === null ? t(l, 'common.none') : (byId.get(p.supervisorId)?.displayName ?? `#${p.supervisorId}`);
    const standing = s.nominations.filter((n) => n.status !== 'declined').flatMap((n) => byId.get(n.peerId) ?? []);
    const declined = s.nominations.filter((n) => n.status === 'declined').flatMap((n) => byId.get(n.peerId) ?? []);
    // The people offered where the platform has no directory of its own (Feishu): colleagues of the same
    // department first, never the member or their supervisor.
    const candidates = everyone
      .filter((m) => m.id !== me.id && m.id !== p.supervisorId && platformIdOf(m, platform))
      .sort(
        (a, b) =>
          Number(b.departmentId === me.departmentId) - Number(a.departmentId === me.departmentId) ||
          a.displayName.localeCompare(b.displayName),
      );
    const intro = t(l, 'evaluation.form.who.peers', { n: MAX_PEERS, supervisor });
    const text = declined.length
      ? `${intro}\n${t(l, 'evaluation.form.peersDeclined', { supervisor, names: declined.map((m) => m.displayName).join(', ') })}`
      : intro;
    const initial = o.picked ?? standing.flatMap((m) => platformIdOf(m, platform) ?? []);
    const head = {
      formType: PEERS_FORM,
      formId: `${p.id}:${p.version}:${s.nominations.length}`,
      title: t(l, 'evaluation.form.title.peers'),
    };
    return onePageForm(l, head, [
      { kind: 'section', title: t(l, 'evaluation.form.intro', { name: me.displayName, period: s.cycle.name }), text },
      {
        kind: 'field',
        field: {
          id: PEERS_FIELD,
          label: t(l, 'evaluation.form.peers'),
          kind: 'users',
          required: true,
          placeholder: t(l, 'evaluation.form.peersPlaceholder'),
          options: candidates.map((m) => ({ value: platformIdOf(m, platform)!, label: m.displayName })),
          initial: initial.join(','),
          // Declined nominations count towards the limit but are not in the picker.
          maxItems: Math.max(1, MAX_PEERS - declined.length),
          ...(o.error ? { error: o.error } : {}),
        },
      },
    ]);
  }

  /** Platform user ids → members: known, or registered now from a readable profile (OrgService.resolveMention). */
  private async resolve(platform: Platform, ids: string[]): Promise<{ members: Member[]; unknown: string[] }> {
    const members: Member[] = [];
    const unknown: string[] = [];
    for (const id of ids) {
      const m = PLATFORM_ID.test(id) ? await this.h.org.resolveMention(platform, id) : null;
      if (m) members.push(m);
      else unknown.push(id.slice(0, 64));
    }
    return { members, unknown };
  }

  private problem(me: Member, p: NomineeProblem): string {
    switch (p.kind) {
      case 'notThem':
        return t(me.locale, 'evaluation.peers.notThem', { name: p.members.map((m) => m.displayName).join(', ') });
      case 'nothingNew':
        return t(me.locale, 'evaluation.peers.nothingNew');
      case 'tooMany':
        return t(me.locale, 'evaluation.peers.tooMany', { n: p.n });
    }
  }

  /** The nominations and the supervisor's card for each, in one transition. */
  private async save(
    me: Member,
    s: ParticipantState,
    fresh: Member[],
    platform: Platform,
    now: Date,
  ): Promise<{ ok: boolean; text: string }> {
    const p = s.participant;
    const supervisor = p.supervisorId ? await this.h.org.memberById(p.supervisorId) : null;
    const outbox: OutboxItem[] = [];
    const where = supervisor ? platformFor(supervisor, platform) : null;
    if (supervisor && where)
      for (const peer of fresh)
        outbox.push({
          ...where,
          message: nominationCard(
            {
              participantId: p.id,
              peerId: peer.id,
              memberName: me.displayName,
              peerName: peer.displayName,
              status: 'proposed',
              period: s.cycle.name,
            },
            supervisor,
          ),
          dedupeKey: `eval:${p.id}:nom:${peer.id}:proposed`,
          refKey: `eval:${p.id}:nom:${peer.id}`,
        });
    const r = await this.h.repo.transition(
      { participantId: p.id, expectedStages: ANSWERING, patch: {}, nominate: fresh.map((m) => m.id), outbox },
      now,
    );
    if (!r.ok) return { ok: false, text: this.h.failure(me, r.reason, 'nominate') };
    return {
      ok: true,
      text: t(me.locale, 'evaluation.peers.done', {
        names: fresh.map((m) => m.displayName).join(', '),
        supervisor: supervisor?.displayName ?? t(me.locale, 'common.none'),
      }),
    };
  }
}
