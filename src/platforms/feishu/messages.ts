// Turns an im.message.receive_v1 message into command text for the core.
import { clipCommandText, MAX_COMMAND_CHARS } from '../../core/commands/limits.js';

/** More mentions than any command takes; each one costs a pass over the text. */
const MAX_MENTIONS = 50;

export interface FeishuMention {
  key: string;
  id?: { open_id?: string };
  name?: string;
}

export interface FeishuMessageEvent {
  sender?: { sender_id?: { open_id?: string }; sender_type?: string };
  message?: {
    message_id: string;
    chat_id: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    mentions?: FeishuMention[];
  };
}

/**
 * "@_user_1 /dudao role @_user_2 supervisor" → "role <@ou_…> supervisor". Leading mentions address the
 * bot and are dropped; later ones become <@open_id> like Slack's. Null for anything but text.
 */
export function commandText(message: NonNullable<FeishuMessageEvent['message']>): string | null {
  if (message.message_type && message.message_type !== 'text') return null;
  let text: string;
  try {
    const parsed = JSON.parse(message.content ?? '{}') as { text?: unknown };
    if (typeof parsed.text !== 'string') return null;
    text = parsed.text;
  } catch {
    return null;
  }
  // Bounded before the mentions are worked through; the core answers an over-long command with a sentence.
  if (text.length > MAX_COMMAND_CHARS) return clipCommandText(text);
  // An empty key would match forever below.
  const given = Array.isArray(message.mentions) ? message.mentions.slice(0, MAX_MENTIONS) : [];
  const mentions = given.filter((m) => typeof m?.key === 'string' && m.key !== '');
  let rest = text.trim();
  for (;;) {
    const lead = mentions.find((m) => rest.startsWith(m.key));
    if (!lead) break;
    rest = rest.slice(lead.key.length).trim();
  }
  for (const m of mentions) {
    if (m.id?.open_id) rest = rest.split(m.key).join(`<@${m.id.open_id}>`);
  }
  return rest.replace(/^\/dudao\b\s*/i, '').trim();
}
