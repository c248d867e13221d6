import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE } from '../../../src/core/templates/default-template.js';
import { parseTemplate } from '../../../src/core/templates/schema.js';
import { parseDocument } from '../../../src/core/templates/service.js';
import { problems } from '../../support/validation.js';

describe('checklist templates', () => {
  it('ships the policy’s five dimensions with three bilingual items each', () => {
    const tpl = parseTemplate(DEFAULT_TEMPLATE);
    expect(tpl.dimensions.map((d) => d.name.en)).toEqual([
      'Business process',
      'Service quality',
      'Work efficiency',
      'Risk management',
      'Teamwork',
    ]);
    expect(
      tpl.dimensions.every((d) => d.items.length === 3 && d.items.every((i) => i.text['zh-CN'] && i.text.en)),
    ).toBe(true);
  });

  it('names the path and field of every problem', () => {
    const bad = structuredClone(DEFAULT_TEMPLATE) as unknown as {
      dimensions: Array<{ key: string; items: Array<Record<string, unknown>> }>;
    };
    bad.dimensions[2]!.items[0]!.weight = -1;
    bad.dimensions[1]!.items[2]!.scoring = 'stars';
    bad.dimensions[4]!.key = 'process';
    expect(problems(() => parseTemplate(bad))).toEqual([
      'dimensions[1].items[2].scoring: expected pass_fail or scale_0_5',
      'dimensions[2].items[0].weight: expected a positive number',
    ]);
    bad.dimensions[1]!.items[2]!.scoring = 'pass_fail';
    bad.dimensions[2]!.items[0]!.weight = 1;
    expect(problems(() => parseTemplate(bad))).toEqual(['dimensions[4].key: duplicate key process']);
  });

  it('reports YAML and JSON syntax errors instead of crashing', () => {
    expect(problems(() => parseDocument('key: [unclosed', 'yaml'))[0]).toMatch(/^\(syntax\)/);
    expect(problems(() => parseDocument('{"key":', 'json'))[0]).toMatch(/^\(syntax\)/);
  });
});
