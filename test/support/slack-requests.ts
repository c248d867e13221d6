// Requests as Slack sends them to POST /slack/events: signed (HMAC-SHA256 "v0"), form-encoded slash
// commands and interactions, JSON events. Shapes follow real payloads (slash command, view_submission,
// block_actions, event_callback envelopes); every field dudao or Bolt reads is present.
import { createHmac } from 'node:crypto';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

export interface SlackRequest {
  body: string;
  contentType: string;
}

export interface SendOptions {
  /** Unix seconds; defaults to now. Bolt rejects anything older than 5 minutes. */
  timestamp?: number;
  /** Use this signature instead of the correct one (forgeries). */
  signature?: string;
  /** Sign with another secret (forgeries). */
  secret?: string;
  /** Marks an Events API redelivery, as Slack does after a failed or slow ack. */
  retryNum?: number;
  retryReason?: string;
  headers?: Record<string, string>;
}

export interface PostResult {
  status: number;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any;
}

let seq = 0;
const nextId = (prefix: string) => `${prefix}${process.pid}.${++seq}.${Date.now().toString(36)}`;
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `v0=` + hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" keyed with the signing secret. */
export function slackSignature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function signedHeaders(secret: string, req: SlackRequest, o: SendOptions = {}): Record<string, string> {
  const timestamp = o.timestamp ?? nowSeconds();
  return {
    'content-type': req.contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': o.signature ?? slackSignature(o.secret ?? secret, timestamp, req.body),
    ...(o.retryNum !== undefined
      ? { 'x-slack-retry-num': String(o.retryNum), 'x-slack-retry-reason': o.retryReason ?? 'http_timeout' }
      : {}),
    ...o.headers,
  };
}

export async function post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** Sends signed requests to one endpoint, the way Slack's servers do. */
export class SlackSigner {
  constructor(
    readonly url: string,
    readonly secret: string,
  ) {}

  send(req: SlackRequest, o: SendOptions = {}): Promise<PostResult> {
    return post(this.url, req.body, signedHeaders(this.secret, req, o));
  }
}

const form = (fields: Record<string, string>): SlackRequest => ({
  body: new URLSearchParams(fields).toString(),
  contentType: FORM_CONTENT_TYPE,
});
const interaction = (payload: object): SlackRequest => form({ payload: JSON.stringify(payload) });

export interface SlashCommandSpec {
  text: string;
  userId: string;
  responseUrl: string;
  channelId?: string;
  command?: string;
  triggerId?: string;
  teamId?: string;
  userName?: string;
}

export function slashCommand(s: SlashCommandSpec): SlackRequest & { triggerId: string } {
  const triggerId = s.triggerId ?? nextId('trig.');
  return {
    ...form({
      token: 'legacy-verification-token',
      team_id: s.teamId ?? 'T0001',
      team_domain: 'fake',
      channel_id: s.channelId ?? 'C0OPS',
      channel_name: 'ops',
      user_id: s.userId,
      user_name: s.userName ?? s.userId.toLowerCase(),
      command: s.command ?? '/dudao',
      text: s.text,
      api_app_id: 'A0DUDAO',
      is_enterprise_install: 'false',
      response_url: s.responseUrl,
      trigger_id: triggerId,
    }),
    triggerId,
  };
}

/** The parts of a modal that a submission echoes back (what views.open received is enough). */
export interface ModalLike {
  callback_id?: string;
  private_metadata?: string;
  blocks?: Array<Record<string, any>>;
  title?: unknown;
}

/**
 * The state Slack submits for a modal: every input block, with the typed value where `values` has one
 * and otherwise the pre-filled initial_option/initial_value/initial_users (as the client does); '' clears a
 * field. A user picker's value is its ids joined with ','.
 */
export function modalState(view: ModalLike, values: Record<string, string>): Record<string, Record<string, unknown>> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks ?? []) {
    if (block.type !== 'input') continue;
    const el = block.element as Record<string, any>;
    const given = block.block_id in values ? values[block.block_id] : undefined;
    if (el.type === 'static_select') {
      const chosen =
        given !== undefined
          ? given === ''
            ? null
            : ((el.options as any[]).find((o) => o.value === given) ?? {
                text: { type: 'plain_text', text: given },
                value: given,
              })
          : (el.initial_option ?? null);
      state[block.block_id] = { [el.action_id]: { type: 'static_select', selected_option: chosen } };
    } else if (el.type === 'multi_users_select') {
      // A user picker submits the ids chosen (given as 'U1,U2'), or what it was opened with.
      const users =
        given !== undefined ? given.split(',').filter(Boolean) : ((el.initial_users as string[] | undefined) ?? []);
      state[block.block_id] = { [el.action_id]: { type: 'multi_users_select', selected_users: users } };
    } else if (el.type === 'datepicker') {
      const d = given !== undefined ? given : (el.initial_date ?? null);
      state[block.block_id] = { [el.action_id]: { type: 'datepicker', selected_date: d === '' ? null : d } };
    } else {
      const v = given !== undefined ? given : (el.initial_value ?? null);
      state[block.block_id] = { [el.action_id]: { type: el.type, value: v === '' ? null : v } };
    }
  }
  return state;
}

/** Every checklist item of a modal page answered at its best (pass or 5), plus the given answers. */
export function modalAnswers(view: ModalLike, extra: Record<string, string> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const b of view.blocks ?? []) {
    if (b.type !== 'input' || !String(b.block_id).endsWith('_score')) continue;
    values[b.block_id] = (b.element.options as Array<{ value: string }>).some((o) => o.value === 'pass') ? 'pass' : '5';
  }
  return { ...values, ...extra };
}

export interface ViewSubmissionSpec {
  userId: string;
  view: ModalLike;
  values?: Record<string, string>;
  /** Overrides the echoed private_metadata (tampering, stale views). */
  privateMetadata?: string;
  triggerId?: string;
  teamId?: string;
}

export function viewSubmission(s: ViewSubmissionSpec): SlackRequest {
  const teamId = s.teamId ?? 'T0001';
  return interaction({
    type: 'view_submission',
    team: { id: teamId, domain: 'fake' },
    user: { id: s.userId, username: s.userId.toLowerCase(), name: s.userId.toLowerCase(), team_id: teamId },
    api_app_id: 'A0DUDAO',
    token: 'legacy-verification-token',
    trigger_id: s.triggerId ?? nextId('trig.'),
    view: {
      id: 'V0VIEW',
      team_id: teamId,
      type: 'modal',
      title: s.view.title ?? { type: 'plain_text', text: 'dudao' },
      blocks: s.view.blocks ?? [],
      private_metadata: s.privateMetadata ?? s.view.private_metadata ?? '',
      callback_id: s.view.callback_id ?? '',
      state: { values: modalState(s.view, s.values ?? {}) },
      hash: '1569562184.10297bc3',
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: 'V0VIEW',
      previous_view_id: null,
      app_id: 'A0DUDAO',
      external_id: '',
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
  });
}

export interface BlockActionSpec {
  userId: string;
  actionId: string;
  value?: string;
  channelId?: string;
  responseUrl?: string;
  triggerId?: string;
  blockId?: string;
}

export function blockActions(s: BlockActionSpec): SlackRequest {
  const channelId = s.channelId ?? 'C0OPS';
  return interaction({
    type: 'block_actions',
    team: { id: 'T0001', domain: 'fake' },
    user: { id: s.userId, username: s.userId.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0DUDAO',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: channelId, is_ephemeral: false },
    trigger_id: s.triggerId ?? nextId('trig.'),
    channel: { id: channelId, name: 'ops' },
    message: { type: 'message', text: 'dudao', user: 'UBOT', bot_id: 'BBOT', ts: '1700000000.000100' },
    ...(s.responseUrl ? { response_url: s.responseUrl } : {}),
    actions: [
      {
        action_id: s.actionId,
        block_id: s.blockId ?? 'b0',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value: s.value ?? '',
        type: 'button',
        action_ts: '1700000001.000200',
      },
    ],
  });
}

export interface EventSpec {
  eventId?: string;
  teamId?: string;
  eventTime?: number;
}

/** An Events API envelope (type event_callback) around `event`. */
export function eventCallback(event: Record<string, unknown>, s: EventSpec = {}): SlackRequest & { eventId: string } {
  const eventId = s.eventId ?? nextId('Ev');
  const teamId = s.teamId ?? 'T0001';
  const body = {
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: 'A0DUDAO',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: s.eventTime ?? nowSeconds(),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
  return { body: JSON.stringify(body), contentType: JSON_CONTENT_TYPE, eventId };
}

/** A direct message to the bot (message.im). */
export function directMessage(
  s: { userId: string; text: string; channel?: string } & EventSpec,
): SlackRequest & { eventId: string } {
  const ts = `${nowSeconds()}.${String(++seq).padStart(6, '0')}`;
  return eventCallback(
    {
      type: 'message',
      channel: s.channel ?? `D${s.userId}`,
      user: s.userId,
      text: s.text,
      ts,
      event_ts: ts,
      channel_type: 'im',
      client_msg_id: nextId('msg-'),
    },
    s,
  );
}

export function appHomeOpened(
  s: { userId: string; tab?: 'home' | 'messages' } & EventSpec,
): SlackRequest & { eventId: string } {
  return eventCallback(
    {
      type: 'app_home_opened',
      user: s.userId,
      channel: `D${s.userId}`,
      tab: s.tab ?? 'home',
      event_ts: `${nowSeconds()}.000100`,
    },
    s,
  );
}
