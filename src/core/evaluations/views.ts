// Renders a scored evaluation and its explanation for one reader. Check mayView(…, 'result') first.

import { pick, t } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import type { MessageView } from '../views/types.js';
import type { EvaluationConfig, RaterKind } from './criteria.js';
import type { EvaluationResult, ExplanationLine, RaterWeights } from './scoring.js';

export interface EvaluationHeading {
  memberName: string;
  /** The cycle as people say it, e.g. "2026-11" or "2026". */
  period: string;
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100));
const score = (x: number) => x.toFixed(1);
const signed = (x: number) => (x > 0 ? `+${num(x)}` : num(x));

export function evaluationResultMessage(
  config: EvaluationConfig,
  result: EvaluationResult,
  heading: EvaluationHeading,
  locale: Locale,
): MessageView {
  const rater = (k: RaterKind) => t(locale, `evaluation.rater.${k}`);
  const weights = (w: RaterWeights) =>
    (Object.entries(w) as Array<[RaterKind, number]>)
      .map(([k, v]) => `${rater(k)} ${num(v)}%`)
      .join(locale === 'zh-CN' ? '，' : ', ');
  const dimension = (key: string) => config.dimensions.find((d) => d.key === key);
  const criterion = (key: string) => config.dimensions.flatMap((d) => d.criteria).find((c) => c.key === key);

  const line = (l: ExplanationLine): string => {
    switch (l.kind) {
      case 'raters': {
        const cycle = t(locale, `evaluation.cycle.${l.cycle}`);
        const used = t(locale, 'evaluation.line.raters', { cycle, weights: weights(l.configured) });
        if (l.missing.length === 0) return used;
        const kinds = l.missing.map(rater).join(locale === 'zh-CN' ? '、' : ', ');
        return `${used}\n${t(locale, 'evaluation.line.ratersMissing', { kinds, weights: weights(l.used) })}`;
      }
      case 'criterion': {
        const parts = l.parts
          .map((p) =>
            p.raters > 1
              ? t(locale, 'evaluation.line.raterPartMany', {
                  rater: rater(p.kind),
                  n: p.raters,
                  mean: num(p.mean),
                  score: score(p.score),
                  weight: num(p.weight),
                })
              : t(locale, 'evaluation.line.raterPart', {
                  rater: rater(p.kind),
                  score: score(p.score),
                  weight: num(p.weight),
                }),
          )
          .join(' + ');
        const c = criterion(l.criterionKey);
        return `- ${t(locale, 'evaluation.line.criterion', { criterion: c ? pick(c.text, locale) : l.criterionKey, weight: l.weight, parts, score: score(l.score) })}`;
      }
      case 'supervision-rule': {
        const rule =
          l.rule === 'severity'
            ? t(locale, 'evaluation.rule.severity', { severity: t(locale, `severity.${l.severity ?? 'low'}`) })
            : l.rule === 'openOverdue' && l.asOfDate
              ? t(locale, 'evaluation.rule.openOverdueAsOf', { date: l.asOfDate })
              : t(locale, `evaluation.rule.${l.rule}`);
        // A long list would overflow a Slack text block (3000 characters); the first ones are enough to look up.
        const shown =
          l.findingIds
            .slice(0, 10)
            .map((i) => `#${i}`)
            .join(', ') + (l.findingIds.length > 10 ? ', …' : '');
        const ids = l.findingIds.length > 0 ? t(locale, 'evaluation.sup.ids', { ids: shown }) : '';
        return `- ${t(locale, 'evaluation.sup.rule', { rule, count: l.count, each: signed(l.pointsEach), points: signed(l.points), ids })}`;
      }
      case 'supervision-total':
        if (l.raw === 0 && l.points === 0)
          return `- ${t(locale, 'evaluation.sup.none', { inspections: l.inspections })}`;
        return `- ${
          l.capped
            ? t(locale, 'evaluation.sup.capped', {
                raw: signed(l.raw),
                points: signed(l.points),
                min: signed(l.cap.min),
                max: signed(l.cap.max),
              })
            : t(locale, 'evaluation.sup.total', { points: signed(l.points) })
        }`;
      case 'dimension': {
        const d = dimension(l.dimensionKey);
        const common = {
          dimension: d ? pick(d.name, locale) : l.dimensionKey,
          weight: l.weight,
          score: score(l.score),
        };
        // No points this cycle adds nothing: "81.0 0 supervision points = 81.0" would only read as a typo.
        const text =
          l.adjustment === null || l.adjustment === 0
            ? t(locale, 'evaluation.line.dimension', common)
            : t(locale, 'evaluation.line.dimensionAdjusted', {
                ...common,
                base: score(l.criteriaScore),
                points: signed(l.adjustment),
              });
        return text + (l.clamped ? t(locale, 'evaluation.line.clamped') : '');
      }
      case 'overall':
        return t(locale, 'evaluation.line.overall', {
          parts: l.parts.map((p) => `${p.weight}% × ${score(p.score)}`).join(' + '),
          score: score(l.score),
        });
      case 'grade': {
        const g = config.grades.find((x) => x.label === l.label);
        return t(locale, 'evaluation.line.grade', {
          label: l.label,
          description: g ? pick(g.description, locale) : l.label,
          min: num(l.min),
        });
      }
    }
  };

  // A dimension's summary heads its block; its criteria and supervision lines come before it in the explanation.
  const blocks: string[] = [];
  let pending: string[] = [];
  for (const l of result.explanation) {
    if (l.kind === 'criterion' || l.kind === 'supervision-rule' || l.kind === 'supervision-total')
      pending.push(line(l));
    else if (l.kind === 'dimension') {
      blocks.push([line(l), ...pending].join('\n'));
      pending = [];
    } else blocks.push(line(l));
  }

  const title = t(locale, 'evaluation.title', {
    name: heading.memberName,
    period: heading.period,
    cycle: t(locale, `evaluation.cycle.${result.cycle}`),
  });
  const grade = t(locale, 'evaluation.gradeValue', {
    label: result.grade.label,
    description: pick(result.grade.description, locale),
  });
  const tone = result.overall >= config.positionReview.belowScore ? 'default' : 'warning';
  return {
    text: `${title}: ${score(result.overall)} · ${grade}`,
    tone,
    blocks: [
      { kind: 'header', text: title },
      {
        kind: 'fields',
        fields: [
          { label: t(locale, 'evaluation.overall'), value: score(result.overall) },
          { label: t(locale, 'evaluation.grade'), value: grade },
        ],
      },
      { kind: 'divider' },
      ...blocks.map((text) => ({ kind: 'text' as const, text })),
    ],
  };
}
