// `eval score @member [cycle]` (考核 评分): score now, the command behind the card's "Score now" button, for the
// member's supervisor, HR and admins. Cards are redrawn only when a step happens, so once the deadline has
// passed nobody's card gains the button; the command reaches it any time. mayAct decides (rules.ts); a refusal
// says what the evaluation is still waiting for. The step itself is the button's (steps.ts quickStep).

import { t } from '../../i18n/t.js';
import type { Member, Platform } from '../../ports.js';
import { formatDateTime } from '../../shared/format.js';
import { mentionOf } from '../../views/text.js';
import type { Reply } from '../../views/types.js';
import type { CycleContext } from './context.js';
import { mayAct, type ParticipantState, peersPending } from './rules.js';
import type { CycleSteps } from './steps.js';
import type { ParticipantRecord } from './types.js';
import { say } from './views.js';

export class ScoreNow {
  constructor(
    private readonly c: CycleContext,
    private readonly steps: CycleSteps,
  ) {}

  async command(
    me: Member,
    mention: string,
    cycleName: string | undefined,
    platform: Platform,
    now: Date,
  ): Promise<Reply> {
    const l = me.locale;
    const target = await this.c.org.knownMention(platform, mention);
    if (!target) return say(t(l, 'member.unknownMention', { mention: mentionOf(mention) }));
    let p: ParticipantRecord | undefined;
    if (cycleName) {
      const cycle = await this.c.findCycle(cycleName);
      if (!cycle) return say(t(l, 'evaluation.cycle.unknown', { name: cycleName }));
      p = (await this.c.repo.participantsOfMember(target.id)).find((x) => x.cycleId === cycle.id);
      if (!p) return say(t(l, 'evaluation.result.none', { name: target.displayName }));
    } else {
      // The open cycle where the score is awaited (e.g. the annual one while the monthly one is at review), else the newest open one.
      const open = await this.c.repo.participantsOfMember(target.id, { cycleStatus: 'open' });
      p = open.find((x) => x.stage === 'supervisor') ?? open[0];
      if (!p) return say(t(l, 'evaluation.score.none', { name: target.displayName }));
    }
    const s = await this.c.state(p);
    const ok = mayAct('finalize', s, { member: me }, now);
    if (ok !== true)
      return say(
        ok === 'notAllowed' || ok === 'closed'
          ? this.c.refusal(me, ok, 'finalize')
          : this.why(me, s, target.displayName),
      );
    const reply = await this.steps.quickStep(me, 'finalize', p.id, platform, now);
    const after = await this.c.repo.participantById(p.id);
    if (after && after.version !== p.version && after.overallScore !== null)
      return say(t(l, 'evaluation.score.done', { name: target.displayName, period: s.cycle.name }), 'success');
    return reply;
  }

  /** What the evaluation is waiting for, when the score cannot be computed yet (or is already). */
  private why(me: Member, s: ParticipantState, name: string): string {
    const l = me.locale;
    const p = s.participant;
    const period = s.cycle.name;
    if (p.stage === 'self') return t(l, 'evaluation.score.waitSelf', { name, period });
    if (p.stage !== 'supervisor') return t(l, 'evaluation.score.already', { name, period });
    if (!p.supervisorAt) return t(l, 'evaluation.score.waitSupervisor', { name, period });
    const n = peersPending(s).length;
    const deadline = formatDateTime(s.cycle.deadline, l, me.timeZone);
    // Peers still to answer, or something else readyToScore waits for (a nomination to decide, a customer).
    return n > 0
      ? t(l, 'evaluation.score.beforeDeadline', { name, period, n, deadline })
      : t(l, 'evaluation.score.beforeDeadlineAny', { name, period, deadline });
  }
}
