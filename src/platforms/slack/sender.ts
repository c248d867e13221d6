// Outbox delivery to Slack. The Web API client never waits or retries on its own: the outbox decides
// when to try again, so a 429 becomes a DeliveryError carrying Retry-After instead of a blocked queue.
import { webApi } from '@slack/bolt';
import {
  DeliveryError,
  type MessageSender,
  type OutboxFile,
  type OutboxTarget,
  type SentLookup,
  type SentRef,
} from '../../core/ports.js';
import { plainText } from '../../core/views/text.js';
import type { MessageView } from '../../core/views/types.js';
import { renderMessage, toMrkdwn } from './render.js';

export type SlackWebClient = webApi.WebClient;

const REQUEST_TIMEOUT_MS = 10_000;

/** Options for every WebClient dudao makes (Bolt's own included), so that both behave the same. */
export function slackClientOptions(apiUrl?: string): webApi.WebClientOptions {
  return {
    // WebClient concatenates the method name onto the base URL, so it must end with a slash.
    ...(apiUrl ? { slackApiUrl: apiUrl.replace(/\/?$/, '/') } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    // Without a timeout a stalled connection holds the outbox lease until it expires.
    timeout: REQUEST_TIMEOUT_MS,
    logLevel: webApi.LogLevel.ERROR,
  };
}

export function createSlackWebClient(token: string, apiUrl?: string): SlackWebClient {
  return new webApi.WebClient(token, slackClientOptions(apiUrl));
}

/** Platform errors that say "try later" rather than "this will never work". */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** Refusals of the bot's credentials or setup rather than of the message (see DeliveryError.setup). */
const SETUP_PLATFORM_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'not_allowed_token_type',
  'missing_scope',
  'no_permission',
  'ekm_access_denied',
  'team_access_not_granted',
  'org_login_required',
]);

/** Maps a Web API failure to what the outbox needs to know: retry (when) or give up. */
export function toDeliveryError(e: unknown, method: string): DeliveryError {
  if (e instanceof DeliveryError) return e;
  if (e instanceof webApi.WebAPIRateLimitedError)
    return new DeliveryError(`${method}: rate limited, retry after ${e.retryAfter}s`, true, e.retryAfter * 1000);
  // A 5xx, a timeout or a dropped connection may come after Slack carried the call out.
  if (e instanceof webApi.WebAPIHTTPError) {
    const transient = e.statusCode >= 500 || e.statusCode === 408;
    return new DeliveryError(`${method}: HTTP ${e.statusCode}`, transient, undefined, false, transient);
  }
  if (e instanceof webApi.WebAPIRequestError)
    return new DeliveryError(`${method}: ${e.original?.message ?? e.message}`, true, undefined, false, true);
  if (e instanceof webApi.WebAPIPlatformError) {
    const code = e.data.error;
    return new DeliveryError(
      `${method}: ${code}`,
      TRANSIENT_PLATFORM_ERRORS.has(code),
      undefined,
      SETUP_PLATFORM_ERRORS.has(code),
    );
  }
  // Unknown failures (a 429 without Retry-After, a bug in the client) are retried with backoff: losing
  // the message is worse than trying again.
  return new DeliveryError(`${method}: ${e instanceof Error ? e.message : String(e)}`, true, undefined, false, true);
}

/** The metadata event type of every message the outbox posts; its payload's `key` is the row's key. */
export const OUTBOX_EVENT_TYPE = 'dudao_outbox';

/**
 * Refusals of a history lookup that retrying will not fix: a history scope the workspace did not grant, a
 * public channel the bot posts to without being a member (chat:write.public), a conversation it cannot see.
 */
const UNCHECKABLE_ERRORS = new Set([
  'missing_scope',
  'not_in_channel',
  'channel_not_found',
  'no_permission',
  'access_denied',
  'ekm_access_denied',
]);
const HISTORY_PAGE = 200;
const HISTORY_MAX_PAGES = 20;

function platformCode(e: unknown): string | undefined {
  return e instanceof webApi.WebAPIPlatformError ? e.data.error : undefined;
}

export class SlackSender implements MessageSender {
  readonly platform = 'slack' as const;
  /**
   * chat.postMessage is limited per channel: a 429 for one channel must not hold up the others (unless two
   * channels are limited at once, which is the workspace-wide limit; see OutboxDispatcher).
   */
  readonly rateLimitScope = 'target' as const;

  constructor(private readonly client: SlackWebClient) {}

  /**
   * Returns the channel and ts of the posted message, which is what chat.update needs later. A direct
   * message is posted with the user's id as the channel: Slack delivers it in the bot's DM with that user
   * and answers with the DM's own channel id (D…), so no conversations.open (rate-limited) is needed.
   */
  async send(target: OutboxTarget, message: MessageView, key?: string): Promise<SentRef> {
    const { text, blocks } = renderMessage(message);
    let posted: { channel?: string; ts?: string };
    // The row's key rides along as message metadata, so that findSent can tell whether a post whose answer
    // never came is in the conversation.
    const metadata = key ? { metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key } } } : {};
    try {
      posted = await this.client.chat.postMessage({
        channel: target.id,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...metadata,
      });
    } catch (e) {
      throw toDeliveryError(e, 'chat.postMessage');
    }
    // A DM is posted to the D… channel; updates must name that channel, not the user.
    return { channelId: posted.channel ?? target.id, messageId: posted.ts ?? '' };
  }

  /**
   * Looks for the message posted with `key` (send's metadata) in the target's conversation since `since`:
   * conversations.history with include_all_metadata, newest first, page by page. Needs the history scope of
   * the conversation's kind (channels:history, groups:history, im:history for a person's DM, opened with
   * conversations.open); where Slack refuses (missing_scope, not_in_channel…) the answer is `unchecked`.
   */
  async findSent(target: OutboxTarget, key: string, since: Date): Promise<SentLookup> {
    let channel = target.id;
    if (target.kind === 'user') {
      try {
        channel = (await this.client.conversations.open({ users: target.id })).channel?.id ?? '';
      } catch (e) {
        const code = platformCode(e);
        if (code && UNCHECKABLE_ERRORS.has(code))
          return { unchecked: `conversations.open: ${code}`, channel: target.id };
        throw toDeliveryError(e, 'conversations.open');
      }
      if (!channel) throw new DeliveryError('conversations.open: no channel id in the answer', true);
    }
    const oldest = (since.getTime() / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
      let res: webApi.ConversationsHistoryResponse;
      try {
        res = await this.client.conversations.history({
          channel,
          oldest,
          include_all_metadata: true,
          limit: HISTORY_PAGE,
          ...(cursor ? { cursor } : {}),
        });
      } catch (e) {
        const code = platformCode(e);
        if (code && UNCHECKABLE_ERRORS.has(code)) return { unchecked: `conversations.history: ${code}`, channel };
        throw toDeliveryError(e, 'conversations.history');
      }
      for (const m of res.messages ?? []) {
        const meta = m.metadata as { event_type?: string; event_payload?: { key?: unknown } } | undefined;
        if (meta?.event_type === OUTBOX_EVENT_TYPE && meta.event_payload?.key === key && m.ts)
          return { found: { channelId: channel, messageId: m.ts } };
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) return { found: null };
    }
    return { unchecked: `more than ${HISTORY_PAGE * HISTORY_MAX_PAGES} messages since the attempt`, channel };
  }

  /**
   * files.uploadV2: files.getUploadURLExternal, the bytes to its upload_url, files.completeUploadExternal
   * with the caption as initial_comment. completeUploadExternal takes only a conversation id (C/G/D/Z…), not
   * a user id, so a person's DM is opened first (conversations.open, idempotent). Each step fails like a
   * send: a 429 carries Retry-After, a network error or timeout is retried; a retry uploads the file again
   * (an upload never completed stays private to the bot, unseen).
   */
  async sendFile(target: OutboxTarget, file: OutboxFile, message: MessageView): Promise<void> {
    let channel = target.id;
    if (target.kind === 'user') {
      try {
        const opened = await this.client.conversations.open({ users: target.id });
        channel = opened.channel?.id ?? '';
      } catch (e) {
        throw toDeliveryError(e, 'conversations.open');
      }
      if (!channel) throw new DeliveryError('conversations.open: no channel id in the answer', true);
    }
    try {
      await this.client.files.uploadV2({
        channel_id: channel,
        file: file.bytes,
        filename: file.filename,
        title: plainText(file.title),
        initial_comment: toMrkdwn(message.text),
      });
    } catch (e) {
      throw toDeliveryError(e, 'files.uploadV2');
    }
  }

  async update(ref: SentRef, message: MessageView): Promise<void> {
    const { text, blocks } = renderMessage(message);
    try {
      await this.client.chat.update({ channel: ref.channelId, ts: ref.messageId, text, blocks });
    } catch (e) {
      throw toDeliveryError(e, 'chat.update');
    }
  }
}
