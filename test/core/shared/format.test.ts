// A time is shown in the reader's zone, and the zone is named so the reader knows which clock it is.
import { describe, expect, it } from 'vitest';
import { formatAge, formatDateTime } from '../../../src/core/shared/format.js';

const at = new Date('2026-11-25T10:00:00Z');
const summer = new Date('2026-07-01T10:00:00Z');

describe('a date and time as a reader sees it', () => {
  it('names mainland China’s zone 北京时间 for Chinese readers, and in full for English ones', () => {
    expect(formatDateTime(at, 'zh-CN', 'Asia/Shanghai')).toBe('北京时间 2026-11-25 18:00');
    expect(formatDateTime(at, 'en', 'Asia/Shanghai')).toBe('2026-11-25 18:00 (China Standard Time)');
  });

  it('names other zones in the reader’s language, summer time included', () => {
    expect(formatDateTime(at, 'zh-CN', 'America/New_York')).toBe('北美东部标准时间 2026-11-25 05:00');
    expect(formatDateTime(summer, 'en', 'Europe/London')).toBe('2026-07-01 11:00 (British Summer Time)');
    expect(formatDateTime(at, 'en', 'Europe/London')).toBe('2026-11-25 10:00 (Greenwich Mean Time)');
  });

  it('falls back to the UTC offset where the language has no name for the zone', () => {
    expect(formatDateTime(at, 'zh-CN', 'Asia/Urumqi')).toBe('UTC+6 2026-11-25 16:00');
    expect(formatDateTime(at, 'en', 'Asia/Kathmandu')).toMatch(/^2026-11-25 15:45 \((Nepal Time|UTC\+5:45)\)$/);
  });
});

describe('how long ago, as a reader sees it', () => {
  it('says under an hour rather than 0 hours, then hours, then days', () => {
    const later = (h: number) => new Date(at.getTime() + h * 3_600_000);
    expect(formatAge(at, later(0.5), 'zh-CN')).toBe('不到 1 小时');
    expect(formatAge(at, later(0.5), 'en')).toBe('under 1 h');
    expect(formatAge(at, later(5), 'zh-CN')).toBe('5 小时');
    expect(formatAge(at, later(72), 'en')).toBe('3 d');
  });
});
