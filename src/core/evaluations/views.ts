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

/** Who the lines are drawn for: the cycle's configuration names things, the locale says them. */
interface Reader {
  config: EvaluationConfig;
  locale: Locale;
}

type LineOf<K extends ExplanationLine['kind']> = Extract<ExplanationLine, { kind: K }>;

export function evaluationResultMessage(
  config: EvaluationConfig,
  result: EvaluationResult,
  heading: EvaluationHeading,
  locale: Locale,
): MessageView {
  const reader: Reader = { config, locale };
  // A dimension's summary heads its block; its criteria and supervision lines come before it in the explanation.
  const blocks: string[] = [];
  let pending: string[] = [];
  for (const l of result.explanation) {
    if (l.kind === 'criterion' || l.kind === 'supervision-rule' || l.kind === 'supervision-total')
      pending.push(explanationLine(reader, l));
    else if (l.kind === 'dimension') {
      blocks.push([explanationLine(reader, l), ...pending].join('\n'));
      pending = [];
    } else blocks.push(explanationLine(reader, l));
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

function explanationLine(r: Reader, l: ExplanationLine): string {
  const { config, locale } = r;
  switch (l.kind) {
    case 'raters':
      return ratersLine(r, l);
    case 'criterion':
      return criterionLine(r, l);
    case 'supervision-rule':
      return supervisionRuleLine(r, l);
    case 'supervision-total':
      return supervisionTotalLine(r, l);
    case 'dimension':
      return dimensionLine(r, l);
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
}

const raterName = (locale: Locale, k: RaterKind) => t(locale, `evaluation.rater.${k}`);

function weightsText(locale: Locale, w: RaterWeights): string {
  return (Object.entries(w) as Array<[RaterKind, number]>)
    .map(([k, v]) => `${raterName(locale, k)} ${num(v)}%`)
    .join(locale === 'zh-CN' ? '，' : ', ');
}

function ratersLine({ locale }: Reader, l: LineOf<'raters'>): string {
  const cycle = t(locale, `evaluation.cycle.${l.cycle}`);
  const used = t(locale, 'evaluation.line.raters', { cycle, weights: weightsText(locale, l.configured) });
  if (l.missing.length === 0) return used;
  const kinds = l.missing.map((k) => raterName(locale, k)).join(locale === 'zh-CN' ? '、' : ', ');
  return `${used}\n${t(locale, 'evaluation.line.ratersMissing', { kinds, weights: weightsText(locale, l.used) })}`;
}

function criterionLine({ config, locale }: Reader, l: LineOf<'criterion'>): string {
  const parts = l.parts
    .map((p) =>
      p.raters > 1
        ? t(locale, 'evaluation.line.raterPartMany', {
            rater: raterName(locale, p.kind),
            n: p.raters,
            mean: num(p.mean),
            score: score(p.score),
            weight: num(p.weight),
          })
        : t(locale, 'evaluation.line.raterPart', {
            rater: raterName(locale, p.kind),
            score: score(p.score),
            weight: num(p.weight),
          }),
    )
    .join(' + ');
  const c = config.dimensions.flatMap((d) => d.criteria).find((x) => x.key === l.criterionKey);
  return `- ${t(locale, 'evaluation.line.criterion', { criterion: c ? pick(c.text, locale) : l.criterionKey, weight: l.weight, parts, score: score(l.score) })}`;
}

function supervisionRuleLine({ locale }: Reader, l: LineOf<'supervision-rule'>): string {
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

function supervisionTotalLine({ locale }: Reader, l: LineOf<'supervision-total'>): string {
  if (l.raw === 0 && l.points === 0) return `- ${t(locale, 'evaluation.sup.none', { inspections: l.inspections })}`;
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
}

function dimensionLine({ config, locale }: Reader, l: LineOf<'dimension'>): string {
  const d = config.dimensions.find((x) => x.key === l.dimensionKey);
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
