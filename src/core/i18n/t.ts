import type { Locale } from '../ports.js';
import { lit, type Markup } from '../views/text.js';
import { MESSAGES, type MessageKey } from './messages.js';

/** A string parameter is shown as text (see views/text.ts); markup dudao built itself is passed as Markup. */
export type Params = Record<string, string | number | Markup>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  const entry = MESSAGES[key];
  const text: string = locale === 'zh-CN' ? entry.zh : entry.en;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name]!;
    return typeof value === 'string' ? lit(value) : String(value);
  });
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
