import { DateTime } from 'luxon';
import type { Locale } from '../ports.js';
import { t } from '../i18n/t.js';

/** A UTC instant shown in the reader's own zone, e.g. 2026-11-22 09:30 (Asia/Shanghai). */
export function formatDateTime(at: Date, locale: Locale, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat('yyyy-LL-dd HH:mm') + (locale === 'zh-CN' ? '' : ` (${timeZone})`);
}

export function formatAge(from: Date, now: Date, locale: Locale): string {
  const hours = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 3_600_000));
  return hours < 48 ? t(locale, 'age.hours', { n: hours }) : t(locale, 'age.days', { n: Math.floor(hours / 24) });
}

export function formatScore(score: number | null, locale: Locale): string {
  return score === null ? t(locale, 'common.none') : score.toFixed(1);
}

export function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
