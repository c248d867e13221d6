// How a Slack listener answers: a form opens as a modal; a message goes to response_url at once, or, when
// Slack does not take it, through the outbox (src/platforms/shared/answer.ts).
import { RespondError } from '@slack/bolt';
import type { Reply } from '../../../core/views/types.js';
import { type AnswerDeps, answerNowOrQueue } from '../../shared/answer.js';
import { renderMessage, renderModal } from '../render.js';

export type Respond = (msg: object) => Promise<unknown>;

/** Answers a reply; the trigger_id of the request keys the outbox row, so handling it again queues nothing new. */
export type Deliver = (
  reply: Reply,
  respond: Respond,
  openForm: (view: object) => Promise<unknown>,
  to: { userId: string; requestId: string },
) => Promise<void>;

/** How long a post to response_url may take before the answer goes through the outbox instead. */
const RESPOND_TIMEOUT_MS = 10_000;

class RespondTimeout extends Error {
  constructor() {
    super(`no answer from response_url within ${RESPOND_TIMEOUT_MS} ms`);
  }
}

/** A failure that says "try later": a 429, a 5xx, a timeout or a network error (no status at all). */
function transientRespondFailure(e: unknown): boolean {
  if (e instanceof RespondError) return e.statusCode === 429 || e.statusCode === 408 || e.statusCode >= 500;
  return true;
}

async function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RespondTimeout()), RESPOND_TIMEOUT_MS))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const readRespondFailure = (e: unknown) => ({
  retryable: transientRespondFailure(e),
  message: e instanceof Error ? e.message : String(e),
});

export function slackDeliver(deps: AnswerDeps): Deliver {
  return async (reply, respond, openForm, to) => {
    if (reply.kind === 'form') {
      await openForm(renderModal(reply.form));
      return;
    }
    const { text, blocks } = renderMessage(reply.message);
    const outcome = await answerNowOrQueue(
      deps,
      { platform: 'slack', ...to },
      reply,
      () =>
        withinTimeout(
          respond({ response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral', text, blocks }),
        ),
      readRespondFailure,
    );
    // A refusal of the answer itself is shown to the person as an error (the listener's guard).
    if (outcome.kind === 'failed') throw outcome.error;
  };
}
