import { DateTime } from 'luxon';
import { t } from '../i18n/t.js';
import type { Locale } from '../ports.js';

/**
 * A UTC instant in the reader's own zone, named as they would say it: 北京时间 2026-11-22 09:30, or
 * 2026-11-22 09:30 (China Standard Time). Chinese puts the zone first, as time signals and notices do.
 */
export function formatDateTime(at: Date, locale: Locale, timeZone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone }).toFormat('yyyy-LL-dd HH:mm');
  const zone = zoneName(timeZone, locale, at);
  return locale === 'zh-CN' ? `${zone} ${local}` : `${local} (${zone})`;
}

// Mainland China's zones are one clock that everyone there calls 北京时间; ICU would say 中国标准时间.
const BEIJING_TIME = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC']);

// Making a formatter costs far more than using one, and a digest or a list names the same few zones often.
const formats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(locale: Locale, timeZone: string, style: 'long' | 'shortOffset'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  const known = formats.get(key);
  if (known) return known;
  const made = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style });
  formats.set(key, made);
  return made;
}

/**
 * A zone's name for a reader at an instant (summer time included): 北京时间, 北美东部标准时间, China Standard
 * Time; "UTC+6" where the language has no name for it. An IANA id means nothing to most readers.
 */
export function zoneName(timeZone: string, locale: Locale, at: Date = new Date()): string {
  if (locale === 'zh-CN' && BEIJING_TIME.has(timeZone)) return '北京时间';
  const part = (style: 'long' | 'shortOffset') =>
    zoneFormat(locale, timeZone, style)
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const long = part('long');
  if (long && !/^GMT[+-−]/.test(long)) return long;
  // ICU's fallback is "GMT+06:00"; "UTC+6" is what both languages write.
  const offset = part('shortOffset').replace(/^GMT/, '').replace('−', '-');
  return `UTC${offset}`;
}

export function formatAge(from: Date, now: Date, locale: Locale): string {
  const hours = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 3_600_000));
  if (hours === 0) return t(locale, 'age.underHour');
  return hours < 48 ? t(locale, 'age.hours', { n: hours }) : t(locale, 'age.days', { n: Math.floor(hours / 24) });
}

export function formatScore(score: number | null, locale: Locale): string {
  return score === null ? t(locale, 'common.none') : score.toFixed(1);
}

export function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
