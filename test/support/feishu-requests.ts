// What Feishu sends to POST /feishu/events, built on the shapes of real deliveries (event v2 envelopes,
// card.action.trigger callbacks): builders, AES encryption, X-Lark-* signing, and a poster that does all
// three. Cards the bot sent can be read back as FormViews to fill them in like a person would.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../src/core/ports.js';
import type { FormElement, FormField, FormView } from '../../src/core/views/types.js';

export const TEST_APP_ID = 'cli_a1b2c3d4e5f60718';
export const TEST_VERIFICATION_TOKEN = 'vt_8XHyqz2kQbL0mR7s';
export const TEST_ENCRYPT_KEY = 'ek_Qm4rT9wZ1xY7uV2p';

type Json = Record<string, unknown>;
let seq = 0;
const next = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++seq).toString(36)}`;

/** Feishu's body encryption: AES-256-CBC, key = SHA-256(encrypt key), random IV prepended, base64. */
export function encrypt(encryptKey: string, json: unknown): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const plain = typeof json === 'string' ? json : JSON.stringify(json);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

export interface EnvelopeOptions {
  token?: string;
  eventId?: string;
  createTime?: Date;
  appId?: string;
}

export function envelope(eventType: string, event: Json, o: EnvelopeOptions = {}): Json {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? next('ev_'),
      event_type: eventType,
      create_time: String((o.createTime ?? new Date()).getTime()),
      token: o.token ?? TEST_VERIFICATION_TOKEN,
      app_id: o.appId ?? TEST_APP_ID,
      tenant_key: '2ca1d211f64f6438',
    },
    event,
  };
}

export function urlVerification(challenge: string, token = TEST_VERIFICATION_TOKEN): Json {
  return { challenge, token, type: 'url_verification' };
}

export interface MessageOptions extends EnvelopeOptions {
  openId: string;
  text: string;
  chatId?: string;
  chatType?: 'p2p' | 'group';
  messageId?: string;
  /** Mentions in order; in a group the first one is usually the bot. Keys are @_user_1, @_user_2, … */
  mentions?: Array<{ openId: string; name: string }>;
  senderType?: 'user' | 'app';
}

/** im.message.receive_v1. Write mentions into `text` as @_user_1, @_user_2 … as Feishu does. */
export function messageEvent(o: MessageOptions): Json {
  return envelope(
    'im.message.receive_v1',
    {
      sender: {
        sender_id: { open_id: o.openId, union_id: `on_${o.openId}`, user_id: o.openId.replace(/^ou_/, '') },
        sender_type: o.senderType ?? 'user',
        tenant_key: '2ca1d211f64f6438',
      },
      message: {
        message_id: o.messageId ?? next('om_'),
        create_time: String((o.createTime ?? new Date()).getTime()),
        chat_id: o.chatId ?? `oc_p2p_${o.openId}`,
        chat_type: o.chatType ?? 'p2p',
        message_type: 'text',
        content: JSON.stringify({ text: o.text }),
        ...(o.mentions?.length
          ? {
              mentions: o.mentions.map((m, i) => ({
                key: `@_user_${i + 1}`,
                id: { open_id: m.openId, union_id: `on_${m.openId}` },
                name: m.name,
                tenant_key: '2ca1d211f64f6438',
              })),
            }
          : {}),
      },
    },
    o,
  );
}

/** application.bot.menu_v6: a click on a bot menu item. */
export function menuEvent(o: EnvelopeOptions & { openId: string; eventKey: string }): Json {
  return envelope(
    'application.bot.menu_v6',
    {
      operator: {
        operator_name: 'someone',
        operator_id: { open_id: o.openId, union_id: `on_${o.openId}`, user_id: o.openId.replace(/^ou_/, '') },
      },
      event_key: o.eventKey,
      timestamp: Math.floor(Date.now() / 1000),
    },
    o,
  );
}

export interface CardActionOptions extends EnvelopeOptions {
  openId: string;
  action: Json;
  chatId?: string;
  messageId?: string;
}

/** card.action.trigger (new-style callback, schema 2.0). */
export function cardAction(o: CardActionOptions): Json {
  return envelope(
    'card.action.trigger',
    {
      operator: { tenant_key: '2ca1d211f64f6438', open_id: o.openId, union_id: `on_${o.openId}` },
      token: next('c-'),
      host: 'im_message',
      action: { options: [], checked: false, form_value: {}, ...o.action },
      context: { open_message_id: o.messageId ?? next('om_'), open_chat_id: o.chatId ?? 'oc_chat' },
    },
    o,
  );
}

export function buttonClick(o: Omit<CardActionOptions, 'action'> & { value: Json; name?: string }): Json {
  return cardAction({ ...o, action: { tag: 'button', value: o.value, name: o.name ?? 'btn' } });
}

type CardNode = Json & { tag?: string; elements?: CardNode[] };
function walk(nodes: CardNode[] | undefined, visit: (n: CardNode) => void) {
  for (const n of nodes ?? []) {
    visit(n);
    walk(n.elements, visit);
  }
}
const bodyOf = (card: Json) => ((card.body as { elements?: CardNode[] } | undefined)?.elements ?? []) as CardNode[];

/** Everything of one tag in a card, depth first. */
export function cardElements(card: Json, tag: string): CardNode[] {
  const out: CardNode[] = [];
  walk(bodyOf(card), (n) => n.tag === tag && out.push(n));
  return out;
}

/** All text a person reads on a card: header title and subtitle, markdown, button labels. */
export function cardText(card: Json): string {
  const parts: string[] = [];
  const header = card.header as { title?: { content?: string }; subtitle?: { content?: string } } | undefined;
  if (header?.title?.content) parts.push(header.title.content);
  if (header?.subtitle?.content) parts.push(header.subtitle.content);
  walk(bodyOf(card), (n) => {
    if (n.tag === 'markdown') parts.push(String(n.content));
    if (n.tag === 'button') parts.push(String((n.text as { content?: string })?.content ?? ''));
  });
  return parts.join('\n');
}

/** Reads a rendered form card back as a FormView (ids, kinds, options, pre-filled values, errors). */
export function formOfCard(card: Json): FormView {
  const elements: FormElement[] = [];
  let pendingError: FormField | undefined;
  walk(bodyOf(card), (n) => {
    if (n.tag === 'select_static' || n.tag === 'input' || n.tag === 'date_picker') {
      const options = ((n.options as Array<{ value: string; text: { content: string } }>) ?? []).map((o) => ({
        value: o.value,
        label: o.text.content,
      }));
      const field: FormField = {
        id: String(n.name),
        label: String(n.name),
        kind:
          n.tag === 'select_static'
            ? 'select'
            : n.tag === 'date_picker'
              ? 'date'
              : n.input_type === 'multiline_text'
                ? 'textarea'
                : 'text',
        required: n.required === true,
        ...(n.tag === 'select_static' ? { options } : {}),
        initial: (n.initial_option ?? n.default_value ?? n.initial_date) as string | undefined,
      };
      elements.push({ kind: 'field', field });
      pendingError = field;
    } else if (n.tag === 'multi_select_person') {
      // A person picker: its candidates (open_ids) and the people it is opened with, as a 'users' field.
      const field: FormField = {
        id: String(n.name),
        label: String(n.name),
        kind: 'users',
        required: n.required === true,
        options: ((n.options as Array<{ value: string }>) ?? []).map((o) => ({ value: o.value, label: o.value })),
        initial: ((n.selected_values as string[] | undefined) ?? []).join(','),
      };
      elements.push({ kind: 'field', field });
      pendingError = field;
    } else if (n.tag === 'markdown' && pendingError && String(n.content).startsWith("<font color='red'>")) {
      // An error line is red throughout; a required field's label (next) only has a red asterisk.
      pendingError.error = String(n.content).replace(/<[^>]+>/g, '');
      pendingError = undefined;
    } else if (n.tag === 'markdown') pendingError = undefined;
  });
  const submit = cardElements(card, 'button').find((b) => b.form_action_type === 'submit');
  const value = ((submit?.behaviors as Array<{ value?: Json }> | undefined)?.[0]?.value ?? {}) as {
    t?: string;
    id?: string;
    p?: number;
  };
  const header = card.header as { title?: { content?: string }; subtitle?: { content?: string } } | undefined;
  return {
    formType: value.t ?? '',
    formId: value.id ?? '',
    page: value.p ?? 0,
    pageCount: 0,
    pageLabel: header?.subtitle?.content,
    title: header?.title?.content ?? '',
    submitLabel: String((submit?.text as { content?: string } | undefined)?.content ?? ''),
    closeLabel: '',
    elements,
  };
}

/**
 * The callback Feishu sends when the form's submit button is pressed: the button's name, its behaviors
 * value (drop it with `withValue: false`, as larksuite/cli's fixture arrives) and form_value by name. A person
 * picker's value is given as 'ou_a,ou_b' (or as an array) and sent as the array of open_ids Feishu sends.
 */
export function formSubmit(
  card: Json,
  values: Record<string, string | string[]>,
  o: Omit<CardActionOptions, 'action'> & { withValue?: boolean },
): Json {
  const submit = cardElements(card, 'button').find((b) => b.form_action_type === 'submit');
  if (!submit) throw new Error('the card has no submit button');
  const value = (submit.behaviors as Array<{ value?: Json }>)[0]?.value ?? {};
  const pickers = new Set(cardElements(card, 'multi_select_person').map((n) => String(n.name)));
  const formValue = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      pickers.has(k) && typeof v === 'string' ? v.split(',').filter(Boolean) : v,
    ]),
  );
  return cardAction({
    ...o,
    action: { tag: 'button', name: submit.name, value: o.withValue === false ? {} : value, form_value: formValue },
  });
}

export interface SignOptions {
  /** Unix seconds; defaults to the clock's now. */
  timestamp?: number;
  nonce?: string;
  /** Sign with the wrong key. */
  forged?: boolean;
}

/** X-Lark-Request-Timestamp/Nonce/Signature for a raw body, as Feishu computes them. */
export function signer(encryptKey: string, clock: Clock) {
  return (rawBody: string, o: SignOptions = {}): Record<string, string> => {
    const timestamp = String(o.timestamp ?? Math.floor(clock.now().getTime() / 1000));
    const nonce = o.nonce ?? randomBytes(8).toString('hex');
    const key = o.forged ? `${encryptKey}-not` : encryptKey;
    const signature = createHash('sha256')
      .update(timestamp + nonce + key)
      .update(Buffer.from(rawBody, 'utf8'))
      .digest('hex');
    return { 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature };
  };
}

export interface PostResult {
  status: number;
  text: string;
  json: Json;
}

export async function post(
  url: string,
  body: string | Json,
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    /* not JSON */
  }
  return { status: res.status, text, json };
}

/** Encrypts, signs and posts payloads the way Feishu delivers them to a webhook. */
export function feishuPoster(url: string, clock: Clock, encryptKey = TEST_ENCRYPT_KEY) {
  const sign = signer(encryptKey, clock);
  return (payload: Json, o: SignOptions & { encrypt?: boolean; sign?: boolean } = {}) => {
    const raw =
      o.encrypt === false ? JSON.stringify(payload) : JSON.stringify({ encrypt: encrypt(encryptKey, payload) });
    return post(url, raw, o.sign === false ? {} : sign(raw, o));
  };
}
