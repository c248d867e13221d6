// What every Slack listener shares: the core, dedupe by request id, the turn after the ack, the error guard
// and the way answers are delivered.
import type { ActorRef, Locale } from '../../../core/ports.js';
import type { PlatformHandlerDeps } from '../../shared/deps.js';
import type { AckFirst } from '../ack-first.js';
import { presentSlackError } from '../errors.js';
import { toMrkdwn } from '../render.js';
import { type Deliver, slackDeliver } from './deliver.js';

export type SlackListenerDeps = PlatformHandlerDeps;

export interface ListenerContext extends SlackListenerDeps {
  acksFirst: AckFirst;
  /** False when this request key was seen before (a retry or a duplicate). */
  firstTime(key: string | undefined): Promise<boolean>;
  /** Runs a listener's work; an error is shown to the person with `show`, and the outbox is nudged after. */
  guarded(actor: ActorRef, show: (text: string) => Promise<unknown>, work: () => Promise<void>): Promise<void>;
  deliver: Deliver;
}

export function createListenerContext(deps: SlackListenerDeps, acksFirst: AckFirst): ListenerContext {
  const { clock, logger } = deps;
  return {
    ...deps,
    acksFirst,
    /** Slack sends no id on commands and clicks, but trigger_id is unique per invocation. */
    firstTime: (key) => (key ? deps.deliveries.firstSeen(`slack:${key}`, clock.now()) : Promise.resolve(true)),
    async guarded(actor, show, work) {
      try {
        await work();
      } catch (e) {
        const text = presentSlackError(e, await deps.localeOf(actor).catch(() => 'en' as Locale), logger);
        await show(toMrkdwn(text)).catch((err) => logger.error({ err }, 'could not show the error to the user'));
      } finally {
        deps.afterChange();
      }
    },
    deliver: slackDeliver({ outbox: deps.outbox, clock, logger }),
  };
}
