import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../src/core/i18n/messages.js';
import { t } from '../../../src/core/i18n/t.js';

const SRC = join(import.meta.dirname, '..', '..', '..', 'src');

describe('messages', () => {
  it('exist in both languages with the same placeholders', () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, entry] of Object.entries(MESSAGES)) {
      expect(entry.en.trim(), key).not.toBe('');
      expect(entry.zh.trim(), key).not.toBe('');
      expect(holes(entry.zh), key).toEqual(holes(entry.en));
    }
  });

  it('never doubles a sentence end after a note that already has one', () => {
    const reject = (locale: 'zh-CN' | 'en', note: string) =>
      t(locale, 'notice.reject', { actor: '王督导', id: 3, note, deadline: '12-10' });
    expect(reject('zh-CN', '照片不清晰。')).toBe('王督导 验收未通过问题 #3：照片不清晰。新期限 12-10。');
    expect(reject('zh-CN', '照片不清晰')).toBe('王督导 验收未通过问题 #3：照片不清晰。新期限 12-10。');
    expect(reject('en', 'Photos unclear.')).toContain('#3: Photos unclear. New deadline 12-10.');
    expect(reject('en', 'Photos unclear')).toContain('#3: Photos unclear. New deadline 12-10.');
  });

  it('address the reader as 您 in Chinese, never 你', () => {
    const informal = Object.entries(MESSAGES)
      .filter(([, entry]) => entry.zh.includes('你'))
      .map(([key, entry]) => `${key}: ${entry.zh}`);
    expect(informal).toEqual([]);
    // Chinese text outside the tables too: checklists, evaluation criteria, the customer web form, help.
    const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.startsWith('generated'),
    );
    expect(sources).toContain(join('core', 'i18n', 'messages.ts'));
    const lines = sources.flatMap((f) =>
      readFileSync(join(SRC, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.includes('你') ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(lines).toEqual([]);
  });

  it('are chosen by the reader’s locale', () => {
    expect(t('zh-CN', 'perm.denied', { roles: '督导员' })).toBe('只有督导员可以执行此操作。如需权限请联系管理员。');
    expect(t('en', 'perm.denied', { roles: 'supervisors' })).toBe(
      'Only supervisors can do that. Ask an admin if you need access.',
    );
  });
});
