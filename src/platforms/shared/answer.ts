// "Answer now, or queue it in the outbox": the part of answering a request that Slack and Feishu share.
// What differs stays with each platform: how the answer is sent (Slack's response_url with a timeout of its
// own, a Feishu reply or direct message carrying an idempotency uuid), which failures mean "try later", and
// what a failure that is not one becomes (Slack shows it to the person as an error; Feishu logs it and, for a
// form asked for in a group, tells the group).
import type { Clock, OutboxRepo, Platform } from '../../core/ports.js';
import type { ErrorLogger } from '../../core/shared/errors.js';
import type { Reply } from '../../core/views/types.js';

export interface AnswerDeps {
  outbox: Pick<OutboxRepo, 'enqueue'>;
  clock: Clock;
  logger: ErrorLogger;
}

/** Who asked, and the id of the request they asked with (Slack trigger_id, Feishu event_id). */
export interface Asker {
  platform: Platform;
  userId: string;
  requestId: string;
}

/** How a platform reads a failed send: whether to try later, and what to say in the log. */
export type FailureReading = (e: unknown) => { retryable: boolean; message: string };

export type AnswerOutcome = { kind: 'sent' } | { kind: 'queued' } | { kind: 'failed'; error: unknown; message: string };

/** The outbox key of the answer to a request; a platform sending it at once may reuse it as its idempotency key. */
export const answerKey = (platform: Platform, requestId: string) => `reply:${platform}:${requestId}`;

/**
 * Sends the answer to a request now. The change it reports is already saved, so when the platform does not
 * take it (429, 5xx, timeout) it is not lost: it goes through the outbox instead, as a direct message to the
 * person, retried on the dispatcher's rules, keyed by the request so that handling the request again queues
 * nothing new. A form cannot wait in the outbox (it holds messages), and a refusal of the answer itself would
 * only be refused again: both come back as `failed`, for the platform to present.
 */
export async function answerNowOrQueue(
  deps: AnswerDeps,
  asker: Asker,
  reply: Reply,
  send: (key: string) => Promise<unknown>,
  readFailure: FailureReading,
  logFields: Record<string, unknown> = {},
): Promise<AnswerOutcome> {
  const dedupeKey = answerKey(asker.platform, asker.requestId);
  try {
    await send(dedupeKey);
    return { kind: 'sent' };
  } catch (e) {
    const failure = readFailure(e);
    if (!failure.retryable || reply.kind !== 'message') return { kind: 'failed', error: e, message: failure.message };
    await deps.outbox.enqueue(
      [{ platform: asker.platform, target: { kind: 'user', id: asker.userId }, message: reply.message, dedupeKey }],
      deps.clock.now(),
    );
    deps.logger.warn(
      { err: failure.message, ...logFields, userId: asker.userId, dedupeKey },
      'the answer could not be sent now; queued as a direct message',
    );
    return { kind: 'queued' };
  }
}
