import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM_LIMITS } from '../../../src/core/create-core.js';
import { paginate } from '../../../src/core/inspections/form.js';
import { isFailed, scoreInspection } from '../../../src/core/inspections/scoring.js';
import { DEFAULT_TEMPLATE } from '../../../src/core/templates/default-template.js';
import type { ChecklistTemplate } from '../../../src/core/templates/schema.js';

const tpl: ChecklistTemplate = {
  key: 't',
  name: { 'zh-CN': '表', en: 'T' },
  failAtOrBelow: 2,
  dimensions: [
    {
      key: 'a',
      name: { 'zh-CN': '甲', en: 'A' },
      items: [
        { key: 'x', text: { 'zh-CN': 'x', en: 'x' }, weight: 3, scoring: 'pass_fail', noteRequiredOnFail: false },
        { key: 'y', text: { 'zh-CN': 'y', en: 'y' }, weight: 1, scoring: 'scale_0_5', noteRequiredOnFail: false },
      ],
    },
    {
      key: 'b',
      name: { 'zh-CN': '乙', en: 'B' },
      items: [
        { key: 'z', text: { 'zh-CN': 'z', en: 'z' }, weight: 2, scoring: 'pass_fail', noteRequiredOnFail: false },
      ],
    },
  ],
};

describe('scoring', () => {
  it('weights items, reads 0-5 as n/5, and leaves N/A items out', () => {
    const answers: Record<string, string> = { 'a.x': 'pass', 'a.y': '3', 'b.z': 'fail' };
    const s = scoreInspection(tpl, (d, i) => answers[`${d}.${i}`]!);
    // a: (3*1 + 1*0.6) / 4 = 90; overall: (3 + 0.6 + 0) / 6 = 60
    expect(s.dimensions).toEqual([
      { dimensionKey: 'a', score: 90 },
      { dimensionKey: 'b', score: 0 },
    ]);
    expect(s.overall).toBe(60);
    const na = scoreInspection(tpl, (d, i) => (d === 'b' ? 'na' : i === 'y' ? '5' : 'pass'));
    expect(na.dimensions[1]!.score).toBeNull();
    expect(na.overall).toBe(100);
    expect(scoreInspection(tpl, () => 'na').overall).toBeNull();
  });

  it('fails a 0-5 item at or below the template threshold, never an N/A', () => {
    const y = tpl.dimensions[0]!.items[1]!;
    expect(['0', '1', '2'].map((a) => isFailed(tpl, y, a))).toEqual([true, true, true]);
    expect(['3', '5', 'na'].map((a) => isFailed(tpl, y, a))).toEqual([false, false, false]);
  });

  it('splits the default checklist into pages that fit each platform and never splits an item', () => {
    const slack = paginate(DEFAULT_TEMPLATE, DEFAULT_FORM_LIMITS.slack);
    const feishu = paginate(DEFAULT_TEMPLATE, DEFAULT_FORM_LIMITS.feishu);
    expect(slack.map((p) => p.length)).toEqual([12, 3]);
    expect(feishu.every((p) => p.length <= 3)).toBe(true);
    expect(slack.flat()).toHaveLength(15);
    expect(feishu.flat()).toHaveLength(15);
  });
});
