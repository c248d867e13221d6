import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../src/core/i18n/messages.js';
import { t } from '../../../src/core/i18n/t.js';

describe('messages', () => {
  it('exist in both languages with the same placeholders', () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, entry] of Object.entries(MESSAGES)) {
      expect(entry.en.trim(), key).not.toBe('');
      expect(entry.zh.trim(), key).not.toBe('');
      expect(holes(entry.zh), key).toEqual(holes(entry.en));
    }
  });

  it('are chosen by the reader’s locale', () => {
    expect(t('zh-CN', 'perm.denied', { roles: '督导员' })).toBe('只有督导员可以执行此操作。如需权限请联系管理员。');
    expect(t('en', 'perm.denied', { roles: 'supervisors' })).toBe('Only supervisors can do that. Ask an admin if you need access.');
  });
});
