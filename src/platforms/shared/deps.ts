// What the handlers of both platforms are given by the composition root.
import type { DudaoCore } from '../../core/facade.js';
import type { ActorRef, Clock, DeliveryLog, Locale, OutboxRepo } from '../../core/ports.js';
import type { ErrorLogger } from '../../core/shared/errors.js';

export interface PlatformHandlerDeps {
  core: DudaoCore;
  /** Dedupe of retried and duplicate deliveries, by the platform's request or event id. */
  deliveries: DeliveryLog;
  clock: Clock;
  logger: ErrorLogger;
  /** Locale for error messages, from the member record when there is one. */
  localeOf: (actor: ActorRef) => Promise<Locale>;
  /** Called after a request may have queued outbox messages. */
  afterChange: () => void;
  /** Where an answer the platform did not take at once (429, 5xx, timeout) is queued as a direct message. */
  outbox: Pick<OutboxRepo, 'enqueue'>;
}
