import type { ChecklistTemplate, TemplateItem } from '../templates/schema.js';

/** Fraction of the item's weight earned, or null for N.A. (excluded from the average). */
export function itemFraction(item: TemplateItem, answer: string): number | null {
  if (answer === 'na') return null;
  if (item.scoring === 'pass_fail') return answer === 'pass' ? 1 : 0;
  return Number(answer) / 5;
}

export function isFailed(tpl: ChecklistTemplate, item: TemplateItem, answer: string): boolean {
  if (answer === 'na' || answer === '') return false;
  if (item.scoring === 'pass_fail') return answer === 'fail';
  return Number(answer) <= tpl.failAtOrBelow;
}

function weighted(pairs: Array<{ weight: number; fraction: number | null }>): number | null {
  let num = 0;
  let den = 0;
  for (const p of pairs) {
    if (p.fraction === null) continue;
    num += p.weight * p.fraction;
    den += p.weight;
  }
  return den === 0 ? null : Math.round((1000 * num) / den) / 10;
}

/** Scores on 0-100 with one decimal: per dimension, and overall across all items by weight. */
export function scoreInspection(
  tpl: ChecklistTemplate,
  answerOf: (dimensionKey: string, itemKey: string) => string,
): { overall: number | null; dimensions: Array<{ dimensionKey: string; score: number | null }> } {
  const all: Array<{ weight: number; fraction: number | null }> = [];
  const dimensions = tpl.dimensions.map((d) => {
    const pairs = d.items.map((it) => ({ weight: it.weight, fraction: itemFraction(it, answerOf(d.key, it.key)) }));
    all.push(...pairs);
    return { dimensionKey: d.key, score: weighted(pairs) };
  });
  return { overall: weighted(all), dimensions };
}
