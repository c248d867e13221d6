import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  DEFAULT_EVALUATION_CONFIG,
  type EvaluationConfig,
  parseEvaluationConfig,
  validateEvaluationConfig,
} from '../../../src/core/evaluations/criteria.js';
import { problems } from '../../support/validation.js';

// A writable copy to break on purpose.
const copy = () => structuredClone(DEFAULT_EVALUATION_CONFIG) as EvaluationConfig & Record<string, unknown>;

describe('evaluation configuration', () => {
  it('ships the policy: results 60 / ability 30 / attitude 10 with 3, 4 and 4 bilingual criteria', () => {
    const cfg = validateEvaluationConfig(DEFAULT_EVALUATION_CONFIG);
    expect(cfg).toEqual(DEFAULT_EVALUATION_CONFIG);
    expect(cfg.dimensions.map((d) => [d.key, d.weight, d.criteria.length])).toEqual([
      ['results', 60, 3],
      ['ability', 30, 4],
      ['attitude', 10, 4],
    ]);
    expect(cfg.dimensions.map((d) => d.criteria.map((c) => c.weight))).toEqual([
      [34, 33, 33],
      [25, 25, 25, 25],
      [25, 25, 25, 25],
    ]);
    expect(cfg.dimensions.flatMap((d) => d.criteria.map((c) => c.text.en))).toEqual([
      'Business targets met (sales, profit, market share)',
      'Project completion (quality, schedule, cost)',
      'Customer satisfaction (feedback, surveys)',
      'Expertise and skills',
      'Communication and coordination (team, customers)',
      'Learning',
      'Problem solving',
      'Responsibility',
      'Teamwork',
      'Initiative',
      'Discipline (attendance, rules, confidentiality)',
    ]);
    const texts = [
      cfg.name,
      ...cfg.dimensions.flatMap((d) => [d.name, ...d.criteria.map((c) => c.text)]),
      ...cfg.grades.map((g) => g.description),
    ];
    expect(texts.every((x) => x['zh-CN'] && x.en)).toBe(true);
    expect(cfg.raterWeights).toEqual({
      monthly: { self: 30, supervisor: 70 },
      annual: { self: 20, supervisor: 50, peer: 15, customer: 15 },
    });
    expect(cfg.grades.map((g) => [g.label, g.min])).toEqual([
      ['S', 90],
      ['A', 80],
      ['B', 70],
      ['C', 60],
      ['D', 0],
    ]);
    expect(cfg.positionReview).toEqual({ belowScore: 60, consecutiveCycles: 2 });
    // Self and supervisor answer every criterion, so a monthly evaluation covers them all.
    expect(
      cfg.dimensions.every((d) =>
        d.criteria.every((c) => c.raters.includes('self') && c.raters.includes('supervisor')),
      ),
    ).toBe(true);
  });

  it('reads the same document back from YAML and JSON', () => {
    expect(parseEvaluationConfig(YAML.stringify(DEFAULT_EVALUATION_CONFIG), 'yaml')).toEqual(DEFAULT_EVALUATION_CONFIG);
    expect(parseEvaluationConfig(JSON.stringify(DEFAULT_EVALUATION_CONFIG), 'json')).toEqual(DEFAULT_EVALUATION_CONFIG);
    expect(problems(() => parseEvaluationConfig('key: [unclosed', 'yaml'))[0]).toMatch(/^\(syntax\)/);
  });

  it('fills rater weights, position review and criterion raters with defaults; no supervision block means no points', () => {
    const cfg = parseEvaluationConfig(
      `
key: small
name: { zh-CN: 简版, en: Small }
dimensions:
  - key: work
    name: { zh-CN: 工作, en: Work }
    weight: 100
    criteria:
      - { key: quality, text: { zh-CN: 质量, en: Quality }, weight: 100 }
grades:
  - { label: P, description: { zh-CN: 通过, en: Pass }, min: 60 }
  - { label: F, description: { zh-CN: 未通过, en: Fail }, min: 0 }
`,
      'yaml',
    );
    expect(cfg.raterWeights).toEqual(DEFAULT_EVALUATION_CONFIG.raterWeights);
    expect(cfg.positionReview).toEqual({ belowScore: 60, consecutiveCycles: 2 });
    expect(cfg.dimensions[0]!.criteria[0]!.raters).toEqual(['self', 'supervisor', 'peer', 'customer']);
    expect(cfg.supervision).toBeUndefined();
    const withRules = validateEvaluationConfig({
      ...cfg,
      dimensions: [{ ...cfg.dimensions[0]!, key: 'results' }],
      supervision: {},
    });
    expect(withRules.supervision).toEqual(DEFAULT_EVALUATION_CONFIG.supervision);
  });

  it('refuses dimension weights that do not add up to 100', () => {
    const bad = copy();
    bad.dimensions[1]!.weight = 25;
    expect(problems(() => validateEvaluationConfig(bad))).toEqual(['dimensions: weights add up to 95, expected 100']);
  });

  it('refuses criterion weights that do not add up to 100 within a dimension, naming the dimension', () => {
    const bad = copy();
    bad.dimensions[1]!.criteria[0]!.weight = 20;
    bad.dimensions[2]!.criteria[3]!.weight = 30;
    expect(problems(() => validateEvaluationConfig(bad))).toEqual([
      'dimensions[1].criteria: weights add up to 95, expected 100',
      'dimensions[2].criteria: weights add up to 105, expected 100',
    ]);
  });

  it('refuses rater weights that do not add up to 100 for a cycle kind', () => {
    const bad = copy();
    bad.raterWeights.monthly.self = 40;
    bad.raterWeights.annual.peer = 10;
    expect(problems(() => validateEvaluationConfig(bad))).toEqual([
      'raterWeights.monthly: weights add up to 110, expected 100',
      'raterWeights.annual: weights add up to 95, expected 100',
    ]);
  });

  it('names malformed fields by path', () => {
    const bad = copy() as unknown as Record<string, any>;
    bad.dimensions[0].criteria[1].weight = 33.5;
    bad.dimensions[2].weight = 'ten';
    bad.raterWeights.annual.customers = 15;
    bad.supervision.perRejections = -1;
    bad.grades[0].min = 120;
    expect(problems(() => validateEvaluationConfig(bad))).toEqual([
      'dimensions[0].criteria[1].weight: expected a whole percentage',
      'dimensions[2].weight: expected a whole percentage',
      'raterWeights.annual.customers: unknown key (did you mean "customer"?)',
      'grades[0].min: expected a score 0-100, got 120',
      'supervision.perRejections: unknown key (did you mean "perRejection"?)',
    ]);
  });

  it('refuses duplicate keys, criteria nobody rates, and unknown supervision dimensions', () => {
    const bad = copy();
    bad.dimensions[2]!.key = 'ability';
    bad.dimensions[2]!.criteria[1]!.key = 'communication';
    bad.dimensions[0]!.criteria[0]!.raters = ['peer'];
    bad.supervision!.dimension = 'sales';
    expect(problems(() => validateEvaluationConfig(bad))).toEqual([
      'dimensions[0].criteria[0].raters: nobody with a weight rates this criterion in monthly cycles',
      'dimensions[2].key: duplicate key ability',
      'dimensions[2].criteria[1].key: duplicate key communication',
      'supervision.dimension: unknown dimension sales',
    ]);
  });

  it('treats a rater kind with weight 0 as switched off when checking who rates a criterion', () => {
    const bad = copy();
    bad.raterWeights.monthly = { self: 0, supervisor: 100 };
    bad.dimensions[0]!.criteria[0]!.raters = ['self', 'peer'];
    expect(problems(() => validateEvaluationConfig(bad))).toEqual([
      'dimensions[0].criteria[0].raters: nobody with a weight rates this criterion in monthly cycles',
    ]);
  });

  it('requires grades from highest to lowest, with the last one starting at 0', () => {
    const bad = copy();
    bad.grades[2]!.min = 85;
    bad.grades[3]!.label = 'A';
    bad.grades[4]!.min = 10;
    expect(problems(() => validateEvaluationConfig(bad))).toEqual([
      'grades[2].min: expected less than grades[1].min (80): grades go from highest to lowest',
      'grades[3].label: duplicate label A',
      'grades[4].min: expected 0: the lowest grade must start at 0',
    ]);
  });

  it('says which limit a value broke and what it was', () => {
    const bad = copy() as unknown as Record<string, any>;
    bad.name.en = 'x'.repeat(301);
    bad.grades[0].label = 'EXCELLENT!';
    bad.dimensions = Array.from({ length: 13 }, () => structuredClone(bad.dimensions[0]));
    expect(problems(() => validateEvaluationConfig(bad))).toEqual([
      'name.en: expected English text; at most 300 characters, got 301 characters',
      'dimensions: expected a list of dimensions; at most 12 entries, got 13 entries',
      'grades[0].label: expected at most 8 characters, got 10 characters',
    ]);
  });

  it('keeps the supervision cap on the right side of zero', () => {
    const bad = copy();
    bad.supervision!.cap = { min: 5, max: -5 };
    expect(problems(() => validateEvaluationConfig(bad))).toEqual([
      'supervision.cap.min: expected -100 to 0, got 5',
      'supervision.cap.max: expected 0 to 100, got -5',
    ]);
  });
});

describe('examples/evaluation-config.yaml', () => {
  it('documents exactly the defaults', () => {
    const text = readFileSync(new URL('../../../examples/evaluation-config.yaml', import.meta.url), 'utf8');
    expect(parseEvaluationConfig(text, 'yaml')).toEqual(DEFAULT_EVALUATION_CONFIG);
  });
});
