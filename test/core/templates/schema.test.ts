import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { fitProblems } from '../../../src/core/inspections/fit.js';
import type { StoredTemplateVersion, TemplateRepo } from '../../../src/core/ports.js';
import { ValidationError } from '../../../src/core/shared/validation.js';
import { DEFAULT_TEMPLATE } from '../../../src/core/templates/default-template.js';
import { type ChecklistTemplate, parseTemplate } from '../../../src/core/templates/schema.js';
import { parseDocument, TemplateService } from '../../../src/core/templates/service.js';
import { problems } from '../../support/validation.js';

/** A template of `dims` dimensions of `items` items each. */
function sized(dims: number, items: number): ChecklistTemplate {
  const item = DEFAULT_TEMPLATE.dimensions[0]!.items[0]!;
  return {
    ...DEFAULT_TEMPLATE,
    dimensions: Array.from({ length: dims }, (_, d) => ({
      key: `d${d}`,
      name: { 'zh-CN': `维度${d}`, en: `Dimension ${d}` },
      items: Array.from({ length: items }, (_, i) => ({ ...item, key: `i${i}` })),
    })),
  };
}

/** Template versions in memory, enough for TemplateService.import. */
function memoryRepo(): TemplateRepo & { rows: StoredTemplateVersion[] } {
  const rows: StoredTemplateVersion[] = [];
  const latest = async (key: string) => rows.filter((r) => r.key === key).at(-1) ?? null;
  return {
    rows,
    latest,
    latestId: async (key) => (await latest(key))?.id ?? null,
    byId: async (id) => rows.find((r) => r.id === id) ?? null,
    byKeyVersion: async (key, version) => rows.find((r) => r.key === key && r.version === version) ?? null,
    listLatest: async () => rows.slice(-1),
    addVersion: async (key, content, now) => {
      const version = rows.filter((r) => r.key === key).length + 1;
      const row = { id: rows.length + 1, key, version, content: JSON.parse(JSON.stringify(content)), createdAt: now };
      rows.push(row);
      return row;
    },
  };
}

async function importProblems(service: TemplateService, tpl: unknown): Promise<string[]> {
  try {
    await service.import(JSON.stringify(tpl), 'json', new Date('2026-12-01T00:00:00Z'));
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
}

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
      'dimensions[2].items[0].weight: expected a positive number, got -1',
    ]);
    bad.dimensions[1]!.items[2]!.scoring = 'pass_fail';
    bad.dimensions[2]!.items[0]!.weight = 1;
    expect(problems(() => parseTemplate(bad))).toEqual(['dimensions[4].key: duplicate key process']);
  });

  it('reports YAML and JSON syntax errors instead of crashing', () => {
    expect(problems(() => parseDocument('key: [unclosed', 'yaml'))[0]).toMatch(/^\(syntax\)/);
    expect(problems(() => parseDocument('{"key":', 'json'))[0]).toMatch(/^\(syntax\)/);
  });

  it('refuses an unknown key by name, with the key it probably meant', () => {
    const bad = structuredClone(DEFAULT_TEMPLATE) as unknown as Record<string, any>;
    bad.dimensions[0].items[1].noteRequiredOnFial = false;
    bad.dimensions[0].items[1].noteRequiredOnFail = undefined;
    bad.failAtOrBellow = 1;
    expect(problems(() => parseTemplate(bad))).toEqual([
      'dimensions[0].items[1].noteRequiredOnFial: unknown key (did you mean "noteRequiredOnFail"?)',
      'failAtOrBellow: unknown key (did you mean "failAtOrBelow"?)',
    ]);
  });

  it('says the limit a text, a weight or a list went over, and by how much', () => {
    const bad = structuredClone(DEFAULT_TEMPLATE) as unknown as Record<string, any>;
    bad.dimensions[0].items[0].text.en = 'x'.repeat(301);
    bad.dimensions[0].items[1].weight = 5000;
    bad.dimensions[1].items = Array.from({ length: 31 }, () => bad.dimensions[1].items[0]);
    expect(problems(() => parseTemplate(bad))).toEqual([
      'dimensions[0].items[0].text.en: expected English text; at most 300 characters, got 301 characters',
      'dimensions[0].items[1].weight: expected a positive number; at most 1000, got 5000',
      'dimensions[1].items: expected a list of items; at most 30 entries, got 31 entries',
    ]);
  });
});

describe('templates every platform can show', () => {
  it('accepts the default template on both platforms', () => {
    expect(fitProblems(DEFAULT_TEMPLATE)).toEqual([]);
    expect(fitProblems(sized(10, 9))).toEqual([]);
  });

  it('names the first item a Feishu form has no page left for', () => {
    // Three items fit on a Feishu page and a form has at most 30 pages: 90 of 96 items.
    expect(fitProblems(sized(12, 8))).toEqual([
      "dimensions[11].items[2]: a Feishu form page holds 27 elements (7 per item, 2 per dimension heading) and a checklist has at most 30 pages, so Feishu shows 90 of this template's 96 items: use fewer items or dimensions",
    ]);
  });

  it('names a dimension whose heading Slack would cut short', () => {
    const tpl = sized(2, 2);
    tpl.dimensions[1]!.name = { 'zh-CN': '短', en: 'y'.repeat(160) };
    expect(fitProblems(tpl)).toEqual(['dimensions[1].name.en: its heading is 163 characters; Slack shows at most 150']);
  });

  it('imports only the key inspect uses, and only what fits', async () => {
    const service = new TemplateService(memoryRepo(), (tpl) => fitProblems(tpl));
    expect(await importProblems(service, { ...DEFAULT_TEMPLATE, key: 'ops-standrad' })).toEqual([
      'key: expected ops-standard (the checklist `inspect` uses), got ops-standrad',
    ]);
    const broken = structuredClone(DEFAULT_TEMPLATE) as unknown as Record<string, any>;
    broken.key = 'other';
    broken.dimensions[0].items[0].weight = 0;
    expect(await importProblems(service, broken)).toEqual([
      'key: expected ops-standard (the checklist `inspect` uses), got other',
      'dimensions[0].items[0].weight: expected a positive number, got 0',
    ]);
    expect(await importProblems(service, sized(12, 8))).toHaveLength(1);
  });

  it('adds no version for a file equal to the newest one', async () => {
    const repo = memoryRepo();
    const service = new TemplateService(repo);
    const now = new Date('2026-12-01T00:00:00Z');
    const first = await service.import(YAML.stringify(DEFAULT_TEMPLATE), 'yaml', now);
    // Same content, keys in another order: still the same template.
    const reordered = { dimensions: DEFAULT_TEMPLATE.dimensions, name: DEFAULT_TEMPLATE.name, key: 'ops-standard' };
    const again = await service.import(JSON.stringify(reordered), 'json', now);
    expect([first.version, first.unchanged, again.version, again.unchanged]).toEqual([1, false, 1, true]);
    expect(repo.rows).toHaveLength(1);
  });
});
