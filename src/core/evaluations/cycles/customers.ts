// Customers in annual cycles: HR marks a member customer-facing (`eval customer-facing @m on|off`), after
// which their account owner records a customer's answers in chat (`eval customer @m`) or sends the customer a
// one-time web link (`eval link @m "customer"`, customer-link.ts) whose answers come back through
// record(). Every customer answer is one rater's submission (steps.ts), one per customer name.

import { randomBytes } from 'node:crypto';
import { t } from '../../i18n/t.js';
import type { Member, Platform } from '../../ports.js';
import { formatDateTime } from '../../shared/format.js';
import { markup, mentionOf } from '../../views/text.js';
import type { Reply } from '../../views/types.js';
import { CustomerLinkError } from '../customer-link-issuer.js';
import { notifications } from './cards.js';
import type { CycleContext } from './context.js';
import { customerKey, validateRating } from './forms.js';
import { ANSWERING, type Refusal, runsCycles } from './rules.js';
import type { CycleSteps } from './steps.js';
import type { CycleRecord, ParticipantRecord } from './types.js';
import { denied, say } from './views.js';

/** Why a customer's answer was not saved (record). */
export type CustomerRefusal = Refusal | 'invalid' | 'stale' | 'unknown' | 'used' | 'expired';

type Found = { target: Member; cycle: CycleRecord; participant: ParticipantRecord };

export class CustomerAnswers {
  constructor(
    private readonly c: CycleContext,
    private readonly steps: CycleSteps,
  ) {}

  /** The mentioned member's participant in the open annual cycle, or the answer saying why there is none. */
  private async annualOf(me: Member, mention: string, platform: Platform): Promise<Found | Reply> {
    const target = await this.c.org.knownMention(platform, mention);
    if (!target) return say(t(me.locale, 'member.unknownMention', { mention: mentionOf(mention) }));
    const found = await this.c.annualParticipant(target.id);
    if (!found) return say(t(me.locale, 'evaluation.customerFacing.noCycle', { name: target.displayName }));
    return { target, ...found };
  }

  async setFacing(me: Member, mention: string, value: boolean, platform: Platform, now: Date): Promise<Reply> {
    const l = me.locale;
    if (!runsCycles(me)) return denied(me, ['hr', 'admin']);
    const found = await this.annualOf(me, mention, platform);
    if ('kind' in found) return found;
    const already = found.participant.customerFacing === value;
    if (already && ANSWERING.includes(found.participant.stage)) {
      const key = value ? 'evaluation.customerFacing.alreadyOn' : 'evaluation.customerFacing.alreadyOff';
      return say(t(l, key, { name: found.target.displayName, period: found.cycle.name }), 'success');
    }
    const state = await this.c.state(found.participant, found.cycle);
    const projected = { ...state, participant: { ...state.participant, customerFacing: value } };
    // The mark does not move the participant's version (forms opened before stay valid), so the cards' keys
    // name the change itself: on, off and on again are three updates, not a repeat of the first. A repeated
    // command is answered above without writing, and a redelivered request never reaches here (ingress keys).
    const tag = `cf${value ? 1 : 0}-${randomBytes(6).toString('base64url')}`;
    const outbox = await notifications(this.c.org, projected, me, platform, { tag, now });
    const r = await this.c.repo.transition(
      { participantId: found.participant.id, expectedStages: ANSWERING, patch: { customerFacing: value }, outbox },
      now,
    );
    if (!r.ok) return say(this.c.failure(me, r.reason, 'customer'));
    // No longer customer-facing: the score may have waited only for a customer's answer.
    if (!value) await this.steps.scoreIfReady(found.participant.id, me, platform, now);
    return say(
      t(l, value ? 'evaluation.customerFacing.on' : 'evaluation.customerFacing.off', {
        name: found.target.displayName,
        period: found.cycle.name,
      }),
      'success',
    );
  }

  /** `eval customer @m`: the form to record a customer's answers on their behalf. */
  async form(me: Member, mention: string, platform: Platform): Promise<Reply> {
    const found = await this.annualOf(me, mention, platform);
    if ('kind' in found) return found;
    return this.steps.openForm(me, 'customer', found.participant.id, new Date(0));
  }

  /** `eval link @member "customer"`: a one-time web link, for whoever may record the customer's answers themselves. */
  async link(me: Member, mention: string, customer: string, platform: Platform, now: Date): Promise<Reply> {
    const l = me.locale;
    const found = await this.annualOf(me, mention, platform);
    if ('kind' in found) return found;
    const p = found.participant;
    if (p.supervisorId !== me.id && !runsCycles(me)) return say(this.c.refusal(me, 'notAllowed', 'customer'));
    if (!this.c.d.links) return say(new CustomerLinkError('no-public-url').text(l));
    if (p.customerFacing && !ANSWERING.includes(p.stage)) return say(this.c.refusal(me, 'wrongStage', 'customer'));
    // One answer per customer, by name (as the chat form and the link's answer are keyed): no link for one who answered.
    if (
      (await this.c.repo.submissions(p.id)).some(
        (x) => x.raterKind === 'customer' && x.raterKey === customerKey(customer),
      )
    )
      return say(
        t(l, 'evaluation.customer.already', {
          customer: customer.trim(),
          name: found.target.displayName,
          period: found.cycle.name,
        }),
      );
    try {
      const link = await this.c.d.links.createCustomerLink(p.id, customer, me.id, now);
      const text = t(l, 'evaluation.link.done', {
        customer: customer.trim(),
        name: found.target.displayName,
        period: found.cycle.name,
        expires: formatDateTime(link.expiresAt, l, me.timeZone),
        // dudao's own link (the configured public URL and a random token): a link, not a person's text.
        url: markup(link.url),
      });
      return say(text, 'success');
    } catch (e) {
      if (e instanceof CustomerLinkError) return say(e.text(l));
      throw e;
    }
  }

  /**
   * A customer's answers (the signed web link, or an account owner on their behalf through recordOnBehalf):
   * scores by criterion key (1-5), comments by criterion key. Refused unless the cycle is annual and open, the
   * member is customer-facing and the participant still takes answers; one answer per customer name.
   * Every answer is keyed by the customer's normalized name (`c:name:<name>`, forms.ts customerKey), so a second
   * answer for the same customer, by chat or another link, is refused ('already'). With `inviteId` (the web
   * link) the invite is marked used in the same transaction, only if it is still unused and unexpired ('used' / 'expired' otherwise, nothing saved).
   */
  async record(
    participantId: number,
    customerName: string,
    scores: Record<string, number>,
    comments: Record<string, string>,
    now: Date,
    o: { raterKey?: string; platform?: Platform; inviteId?: number } = {},
  ): Promise<{ ok: true } | { ok: false; reason: CustomerRefusal; detail?: string }> {
    const p = await this.c.repo.participantById(participantId);
    if (!p) return { ok: false, reason: 'unknown' };
    const s = await this.c.state(p);
    if (s.cycle.status !== 'open') return { ok: false, reason: 'closed' };
    if (s.cycle.kind !== 'annual' || !p.customerFacing || !ANSWERING.includes(p.stage))
      return { ok: false, reason: 'wrongStage' };
    const config = await this.c.config(s.cycle.configVersionId);
    // The web form names fields by criterion key; the chat form's validation, which both share, by index.
    const raw: Record<string, string> = { customer: customerName };
    config.dimensions
      .flatMap((d) => d.criteria)
      .forEach((c, i) => {
        if (scores[c.key] !== undefined) raw[`c${i}_score`] = String(scores[c.key]);
        if (comments[c.key] !== undefined) raw[`c${i}_note`] = comments[c.key]!;
      });
    const { clean, errors } = validateRating({ config, kind: 'customer', locale: 'en' }, raw);
    if (Object.keys(errors).length)
      return {
        ok: false,
        reason: 'invalid',
        detail: Object.entries(errors)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
      };
    const out = await this.steps.rate(null, s, 'customer', clean, o.platform ?? 'slack', now, o.raterKey, o.inviteId);
    if (out.kind === 'done') return { ok: true };
    const why = out.kind === 'refused' ? out.message : '';
    return {
      ok: false,
      reason: why === 'duplicate' ? 'already' : why === 'used' || why === 'expired' || why === 'closed' ? why : 'stale',
    };
  }
}
