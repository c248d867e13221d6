import type { Locale } from '../ports.js';
import { lit, type Markup } from '../views/text.js';
import { MESSAGES, type MessageKey } from './messages.js';

/** A string parameter is shown as text (see views/text.ts); markup dudao built itself is passed as Markup. */
export type Params = Record<string, string | number | Markup>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** A sentence's end, by locale: a typed note ending in one is not followed by the message's own (no "。。"). */
const ENDS: Record<Locale, { stop: string; ends: RegExp }> = {
  'zh-CN': { stop: '。', ends: /[。！？!?.…]\s*$/ },
  en: { stop: '.', ends: /[.!?…。！？]\s*$/ },
};

export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  const entry = MESSAGES[key];
  const text: string = locale === 'zh-CN' ? entry.zh : entry.en;
  const { stop, ends } = ENDS[locale];
  let out = '';
  let at = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    const name = m[1]!;
    out += text.slice(at, m.index);
    at = m.index + m[0].length;
    if (!(name in params)) {
      out += m[0];
      continue;
    }
    const value = params[name]!;
    out += typeof value === 'string' ? lit(value) : String(value);
    if (typeof value === 'string' && text.startsWith(stop, at) && ends.test(value)) at += stop.length;
  }
  return out + text.slice(at);
}

export function translator(locale: Locale): Translate {
  return (key, params) => t(locale, key, params);
}

/** Picks the text for a locale from a bilingual field of a template ({ 'zh-CN', en }). */
export function pick(text: { 'zh-CN': string; en: string }, locale: Locale): string {
  return text[locale] || text.en || text['zh-CN'];
}

export function normalizeLocale(raw: string | undefined | null): Locale | undefined {
  if (!raw) return undefined;
  const l = raw.toLowerCase();
  if (l.startsWith('zh')) return 'zh-CN';
  if (l.startsWith('en')) return 'en';
  return undefined;
}
