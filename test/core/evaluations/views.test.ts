import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION_CONFIG as CFG } from '../../../src/core/evaluations/criteria.js';
import { scoreEvaluation } from '../../../src/core/evaluations/scoring.js';
import type { FindingFact } from '../../../src/core/evaluations/supervision.js';
import { evaluationResultMessage } from '../../../src/core/evaluations/views.js';
import type { Block } from '../../../src/core/views/types.js';

const ALL = CFG.dimensions.flatMap((d) => d.criteria.map((c) => c.key));
const PEER_ASKED = ['communication', 'problem_solving', 'responsibility', 'teamwork', 'initiative'];
const uniform = (keys: string[], score: number) => ({ scores: Object.fromEntries(keys.map((k) => [k, score])) });
const textOf = (blocks: Block[]) => blocks.map((b) => ('text' in b ? b.text : '')).join('\n');

const finding = (f: Partial<FindingFact>): FindingFact => ({
  severity: 'high',
  status: 'open',
  createdAt: new Date('2026-05-01T00:00:00Z'),
  deadline: new Date('2026-06-01T10:00:00Z'),
  closedAt: null,
  rejectionCount: 0,
  ...f,
});

// Annual, no customers: self 5 everywhere; supervisor 4 everywhere but 3 on targets; peers 3 and 4.
// targets: (20 × 100 + 50 × 60) / 70 = 71.4; other self+supervisor criteria (20 × 100 + 50 × 80) / 70 = 85.7;
// criteria with peers: (2000 + 4000 + 15 × 70) / 85 = 82.9.
// results = 0.34 × 71.4 + 0.33 × 85.7 × 2 = 80.838 → 80.8, then -2 (#7 high) -2 (#7 overdue) +1 (#9 on time)
// -1 (#9 rejected once) = -4 → 76.8
const result = scoreEvaluation(
  CFG,
  'annual',
  {
    self: [uniform(ALL, 5)],
    supervisor: [{ scores: { ...uniform(ALL, 4).scores, targets: 3 } }],
    peer: [uniform(PEER_ASKED, 3), uniform(PEER_ASKED, 4)],
  },
  {
    periodStart: new Date('2026-01-01T00:00:00Z'),
    periodEnd: new Date('2027-01-01T00:00:00Z'),
    inspections: 4,
    findings: [
      finding({ id: 7 }),
      finding({
        id: 9,
        severity: 'low',
        status: 'accepted',
        closedAt: new Date('2026-05-20T00:00:00Z'),
        rejectionCount: 1,
      }),
    ],
  },
);

describe('evaluation result message', () => {
  it('explains the score line by line in English', () => {
    // ability = (85.7 + 82.9 + 85.7 + 82.9) / 4 = 84.3; attitude = (82.9 × 3 + 85.7) / 4 = 83.6
    // overall = 0.6 × 76.8 + 0.3 × 84.3 + 0.1 × 83.6 = 46.08 + 25.29 + 8.36 = 79.73 → 79.7, B
    const m = evaluationResultMessage(CFG, result, { memberName: 'Wang Wu', period: '2026' }, 'en');
    expect(m.text).toBe('Performance evaluation · Wang Wu · 2026 (annual): 79.7 · B · Good');
    expect(m.blocks[0]).toEqual({ kind: 'header', text: 'Performance evaluation · Wang Wu · 2026 (annual)' });
    expect(m.blocks[1]).toEqual({
      kind: 'fields',
      fields: [
        { label: 'Overall score', value: '79.7' },
        { label: 'Grade', value: 'B · Good' },
      ],
    });
    const text = textOf(m.blocks);
    for (const line of [
      'Rater weights (annual): self 20%, supervisor 50%, peers 15%, customers 15%',
      'No evaluation from customers: their weight is spread over the others in proportion, giving self 23.5%, supervisor 58.8%, peers 17.6%.',
      '*Results* (60%): 80.8 -4 supervision points = 76.8',
      '- Business targets met (sales, profit, market share) (34%): self 100.0 × 28.6% + supervisor 60.0 × 71.4% = 71.4',
      '- Findings recorded, severity high: 1 × -2 = -2 (#7)',
      '- Findings accepted by their deadline: 1 × +1 = +1 (#9)',
      '- Findings past their deadline and not accepted at the end of the cycle: 1 × -2 = -2 (#7)',
      '- Failed acceptance checks: 1 × -1 = -1 (#9)',
      '- Supervision points of the department: -4',
      '*Ability* (30%): 84.3',
      '- Teamwork (25%): self 100.0 × 23.5% + supervisor 80.0 × 58.8% + peers (2, average 3.5) 70.0 × 17.6% = 82.9',
      'Overall: 60% × 76.8 + 30% × 84.3 + 10% × 83.6 = 79.7',
      'Grade B (Good): from 70',
    ])
      expect(text.split('\n')).toContain(line);
  });

  it('says the same in Chinese', () => {
    const m = evaluationResultMessage(CFG, result, { memberName: '王五', period: '2026' }, 'zh-CN');
    expect(m.text).toBe('绩效考核 · 王五 · 2026（年度）: 79.7 · B · 良好');
    const text = textOf(m.blocks);
    for (const line of [
      '评价权重（年度）：自评 20%，上级 50%，同事 15%，客户 15%',
      '无客户评价：其权重按比例分配给其他评价方，实际为：自评 23.5%，上级 58.8%，同事 17.6%。',
      '*工作业绩*（60%）：80.8 -4 督导积分 = 76.8',
      '- 记录的问题（严重程度：高）：1 × -2 = -2（#7）',
      '- 团队合作精神（25%）：自评 100.0 × 23.5% + 上级 80.0 × 58.8% + 同事（2 人，平均 3.5）70.0 × 17.6% = 82.9',
      '综合得分：60% × 76.8 + 30% × 84.3 + 10% × 83.6 = 79.7',
      '等级 B（良好）：70 分及以上',
    ])
      expect(text.split('\n')).toContain(line);
  });

  it('shows a dimension without a supervision part when the cycle brought no points, in both languages', () => {
    const none = scoreEvaluation(
      CFG,
      'monthly',
      { supervisor: [uniform(ALL, 4)] },
      {
        periodStart: new Date('2026-05-01T00:00:00Z'),
        periodEnd: new Date('2026-06-01T00:00:00Z'),
        inspections: 0,
        findings: [],
      },
    );
    const en = textOf(evaluationResultMessage(CFG, none, { memberName: 'Li', period: '2026-05' }, 'en').blocks).split(
      '\n',
    );
    expect(en).toContain('*Results* (60%): 80.0');
    expect(en).toContain('- Supervision record of the department: no points this cycle (0 inspections)');
    const zh = textOf(evaluationResultMessage(CFG, none, { memberName: '李四', period: '2026-05' }, 'zh-CN').blocks);
    expect(zh.split('\n')).toContain('*工作业绩*（60%）：80.0');
    expect(zh).not.toMatch(/ 0 督导积分| 0 supervision points/);
  });

  it('mentions capped points and clamped dimensions, and warns below the position-review threshold', () => {
    const many = Array.from({ length: 12 }, (_, i) => finding({ id: i + 1, severity: 'critical' }));
    const r = scoreEvaluation(
      CFG,
      'monthly',
      { supervisor: [uniform(ALL, 2)] },
      {
        periodStart: new Date('2026-05-01T00:00:00Z'),
        periodEnd: new Date('2026-06-02T00:00:00Z'),
        inspections: 1,
        findings: many,
      },
    );
    const m = evaluationResultMessage(CFG, r, { memberName: 'Li', period: '2026-05' }, 'en');
    const text = textOf(m.blocks);
    // 12 × -3 + 12 × -2 = -60 → -15; results 40 - 15 = 25
    expect(text).toContain(
      '- Findings recorded, severity critical: 12 × -3 = -36 (#1, #2, #3, #4, #5, #6, #7, #8, #9, #10, …)',
    );
    expect(text).toContain('- Supervision points of the department: -60, limited to -15 (range -15 to +10)');
    expect(text).toContain('*Results* (60%): 40.0 -15 supervision points = 25.0');
    expect(m.tone).toBe('warning');

    const top = scoreEvaluation(
      CFG,
      'monthly',
      { supervisor: [uniform(ALL, 5)] },
      {
        periodStart: new Date('2026-05-01T00:00:00Z'),
        periodEnd: new Date('2026-06-01T00:00:00Z'),
        inspections: 1,
        findings: [],
      },
    );
    const topText = textOf(evaluationResultMessage(CFG, top, { memberName: 'Li', period: '2026-05' }, 'en').blocks);
    expect(topText).toContain('- Inspected, nothing found: 1 × +2 = +2');
    expect(topText).toContain('*Results* (60%): 100.0 +2 supervision points = 100.0 (kept within 0-100)');
  });
});
