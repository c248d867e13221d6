// What every Feishu handler shares: the core, dedupe by event id, work after the ack, and the way answers
// are sent.
import type * as lark from '@larksuiteoapi/node-sdk';
import type { DudaoCore } from '../../../core/facade.js';
import type { ActorRef, Clock, Locale } from '../../../core/ports.js';
import { describeUnexpected, type ErrorLogger } from '../../../core/shared/errors.js';
import type { Reply } from '../../../core/views/types.js';
import type { PlatformHandlerDeps } from '../../shared/deps.js';
import { type FeishuReplies, feishuReplies } from './send.js';

export interface FeishuHandlerDeps extends PlatformHandlerDeps {
  client: lark.Client;
}

export interface HandlerContext extends FeishuReplies {
  client: lark.Client;
  core: DudaoCore;
  clock: Clock;
  logger: ErrorLogger;
  afterChange: () => void;
  /** The member's locale, zh-CN when it cannot be read. */
  localeOf(actor: ActorRef): Promise<Locale>;
  /** False when this event key was seen before (a re-push or a duplicate). */
  firstTime(key: string): Promise<boolean>;
  /** Runs work after the ack; an error is logged, and the outbox is nudged after. */
  background(work: () => Promise<void>): void;
  /** Resolves when the work started by `background` so far has finished (tests, shutdown). */
  idle(): Promise<void>;
}

export const errorReply = (text: string): Reply => ({
  kind: 'message',
  visibility: 'private',
  message: { text, tone: 'danger', blocks: [{ kind: 'text', text }] },
});

export function createHandlerContext(deps: FeishuHandlerDeps): HandlerContext {
  const { core, clock, logger } = deps;
  const pending = new Set<Promise<unknown>>();
  return {
    ...feishuReplies(deps.client, { outbox: deps.outbox, clock, logger }),
    client: deps.client,
    core,
    clock,
    logger,
    afterChange: deps.afterChange,
    localeOf: (actor) => deps.localeOf(actor).catch(() => 'zh-CN' as Locale),
    firstTime: (key) => deps.deliveries.firstSeen(`feishu:${key}`, clock.now()),
    background(work) {
      const p = work()
        .catch((e) => describeUnexpected(e, 'en', logger, 'feishu-background'))
        .finally(() => {
          pending.delete(p);
          deps.afterChange();
        });
      pending.add(p);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
