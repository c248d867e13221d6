// Bodies that are correctly signed (and, for Feishu, encrypted) but are not a well-formed payload of a kind
// dudao handles, each with the answer it must get. The tests (test/platforms/*/malformed-requests.test.ts)
// and the benchmark (bench/malformed.ts) send the same list.

import type { Clock } from '../../src/core/ports.js';
import {
  encrypt,
  envelope,
  type PostResult,
  post,
  signer,
  TEST_ENCRYPT_KEY,
  TEST_VERIFICATION_TOKEN,
} from './feishu-requests.js';
import { FORM_CONTENT_TYPE, JSON_CONTENT_TYPE, type SlackRequest } from './slack-requests.js';

export interface MalformedSlackCase {
  name: string;
  req: SlackRequest;
  /** 400 malformed; 404 a command or interaction nothing handles; 200 an Events API body acked so Slack does not send it again. */
  status: 200 | 400 | 404;
}

/** An interaction as Slack posts it: form-encoded, the JSON in `payload` (given here as raw text). */
export const interactionText = (payloadJson: string): SlackRequest => ({
  body: new URLSearchParams({ payload: payloadJson }).toString(),
  contentType: FORM_CONTENT_TYPE,
});
export const jsonText = (body: string): SlackRequest => ({ body, contentType: JSON_CONTENT_TYPE });
const form = (fields: Record<string, string>): SlackRequest => ({
  body: new URLSearchParams(fields).toString(),
  contentType: FORM_CONTENT_TYPE,
});

const user = { id: 'USUP', username: 'usup', team_id: 'T0001' };
const team = { id: 'T0001', domain: 'fake' };
const action = { action_id: 'dudao_help', block_id: 'b0', value: '', type: 'button', action_ts: '1700000001.000200' };
const blockActions = {
  type: 'block_actions',
  team,
  user,
  api_app_id: 'A0DUDAO',
  trigger_id: 'trig.1',
  channel: { id: 'C0OPS' },
  actions: [action],
};
const view = { id: 'V0VIEW', type: 'modal', callback_id: 'dudao_form', private_metadata: '{}', state: { values: {} } };
const viewSubmission = { type: 'view_submission', team, user, api_app_id: 'A0DUDAO', trigger_id: 'trig.2', view };
const eventCallback = (event: unknown) => ({
  type: 'event_callback',
  team_id: 'T0001',
  api_app_id: 'A0DUDAO',
  event_id: 'Ev0MALFORMED',
  event_time: 1700000000,
  event,
});

export const MALFORMED_SLACK: MalformedSlackCase[] = [
  { name: 'payload=null', req: interactionText('null'), status: 400 },
  { name: 'payload=42', req: interactionText('42'), status: 400 },
  { name: 'payload="text"', req: interactionText('"text"'), status: 400 },
  { name: 'payload=[]', req: interactionText('[]'), status: 400 },
  { name: 'payload={}', req: interactionText('{}'), status: 400 },
  {
    name: 'block_actions, actions null',
    req: interactionText(JSON.stringify({ ...blockActions, actions: null })),
    status: 400,
  },
  {
    name: 'block_actions, actions []',
    req: interactionText(JSON.stringify({ ...blockActions, actions: [] })),
    status: 400,
  },
  {
    name: 'block_actions, user null',
    req: interactionText(JSON.stringify({ ...blockActions, user: null })),
    status: 400,
  },
  {
    name: 'block_actions, channel null',
    req: interactionText(JSON.stringify({ ...blockActions, channel: null })),
    status: 400,
  },
  {
    name: 'view_submission, view null',
    req: interactionText(JSON.stringify({ ...viewSubmission, view: null })),
    status: 400,
  },
  {
    name: 'view_submission, user null',
    req: interactionText(JSON.stringify({ ...viewSubmission, user: null })),
    status: 400,
  },
  {
    name: 'view_submission, state null',
    req: interactionText(JSON.stringify({ ...viewSubmission, view: { ...view, state: null } })),
    status: 400,
  },
  {
    name: 'shortcut without callback_id',
    req: interactionText(JSON.stringify({ type: 'shortcut', team, user, trigger_id: 'trig.3' })),
    status: 404,
  },
  {
    name: 'view_closed',
    req: interactionText(JSON.stringify({ type: 'view_closed', team, user, view, is_cleared: false })),
    status: 404,
  },
  {
    name: 'view_submission of another app',
    req: interactionText(JSON.stringify({ ...viewSubmission, view: { ...view, callback_id: 'other_form' } })),
    status: 404,
  },
  {
    name: 'command /other',
    req: form({
      command: '/other',
      text: 'help',
      user_id: 'USUP',
      channel_id: 'C0OPS',
      trigger_id: 'trig.4',
      response_url: 'http://127.0.0.1:9/r',
      team_id: 'T0001',
    }),
    status: 404,
  },
  {
    name: 'command without user_id',
    req: form({
      command: '/dudao',
      text: 'help',
      channel_id: 'C0OPS',
      trigger_id: 'trig.5',
      response_url: 'http://127.0.0.1:9/r',
      team_id: 'T0001',
    }),
    status: 400,
  },
  { name: 'JSON null', req: jsonText('null'), status: 400 },
  { name: 'JSON 42', req: jsonText('42'), status: 400 },
  { name: 'JSON "text"', req: jsonText('"text"'), status: 400 },
  { name: 'JSON []', req: jsonText('[]'), status: 400 },
  { name: 'JSON {}', req: jsonText('{}'), status: 400 },
  { name: 'event_callback, event null', req: jsonText(JSON.stringify(eventCallback(null))), status: 400 },
  {
    name: 'event_callback, message with user null',
    req: jsonText(
      JSON.stringify(
        eventCallback({ type: 'message', channel_type: 'im', channel: 'DUSUP', user: null, text: 'help', ts: '1.1' }),
      ),
    ),
    status: 400,
  },
  {
    name: 'event_callback, authorizations [null]',
    req: jsonText(
      JSON.stringify({
        ...eventCallback({ type: 'app_home_opened', user: 'USUP', tab: 'home' }),
        authorizations: [null],
      }),
    ),
    status: 400,
  },
  {
    name: 'app_rate_limited (no handler)',
    req: jsonText(
      JSON.stringify({
        token: 't',
        type: 'app_rate_limited',
        team_id: 'T0001',
        minute_rate_limited: 1518467820,
        api_app_id: 'A0DUDAO',
      }),
    ),
    status: 200,
  },
];

export interface MalformedFeishuCase {
  name: string;
  /** What the delivery decrypts to (JSON.stringify'd, then encrypted and signed as Feishu delivers). */
  payload: unknown;
  /** 400 not an object; 401 no verification token inside; 200 an event acked so Feishu does not push it again. */
  status: 200 | 400 | 401;
}

type Json = Record<string, unknown>;
const withEvent = (type: string, event: unknown): Json => ({ ...envelope(type, {}), event });
const message = {
  message_id: 'om_malformed',
  chat_id: 'oc_p2p_ou_sup',
  chat_type: 'p2p',
  message_type: 'text',
  content: '{"text":"help"}',
};

export const MALFORMED_FEISHU: MalformedFeishuCase[] = [
  { name: 'decrypted null', payload: null, status: 400 },
  { name: 'decrypted 42', payload: 42, status: 400 },
  { name: 'decrypted "text"', payload: 'text', status: 400 },
  { name: 'decrypted []', payload: [], status: 400 },
  { name: 'decrypted {}', payload: {}, status: 401 },
  { name: 'message event, event null', payload: withEvent('im.message.receive_v1', null), status: 200 },
  {
    name: 'message event, message null',
    payload: withEvent('im.message.receive_v1', {
      sender: { sender_id: { open_id: 'ou_sup' }, sender_type: 'user' },
      message: null,
    }),
    status: 200,
  },
  {
    name: 'message event, sender null',
    payload: withEvent('im.message.receive_v1', { sender: null, message }),
    status: 200,
  },
  {
    name: 'menu event, operator null',
    payload: withEvent('application.bot.menu_v6', { operator: null, event_key: 'help' }),
    status: 200,
  },
  {
    name: 'card action, operator null',
    payload: withEvent('card.action.trigger', { operator: null, action: { tag: 'button', value: {} } }),
    status: 200,
  },
  {
    name: 'card action, action null',
    payload: withEvent('card.action.trigger', { operator: { open_id: 'ou_sup' }, action: null }),
    status: 200,
  },
  {
    name: 'header without event_type',
    payload: { schema: '2.0', header: { token: TEST_VERIFICATION_TOKEN }, event: {} },
    status: 200,
  },
  { name: 'event type with no handler', payload: withEvent('im.chat.updated_v1', { chat_id: 'oc_chat' }), status: 200 },
];

/** Posts `payload` to a Feishu webhook encrypted and correctly signed, whatever JSON it is (null, a number …). */
export function deliverAnyJson(url: string, clock: Clock, payload: unknown): Promise<PostResult> {
  const raw = JSON.stringify({ encrypt: encrypt(TEST_ENCRYPT_KEY, JSON.stringify(payload)) });
  return post(url, raw, signer(TEST_ENCRYPT_KEY, clock)(raw));
}
