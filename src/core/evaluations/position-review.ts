// Policy B 4.5.2: HR considers a position adjustment for members who fail "several times in a row".
import type { CycleKind, EvaluationConfig } from './criteria.js';

export interface CycleRef {
  kind: CycleKind;
  year: number;
  /** 1-12, monthly cycles only. */
  month?: number;
}

export interface CycleOutcome {
  cycle: CycleRef;
  overall: number;
}

export interface PositionReviewFlag {
  flagged: boolean;
  /** Consecutive cycles below the threshold, ending with the latest one given. */
  streak: number;
  /** Those cycles, oldest first. */
  cycles: CycleRef[];
  belowScore: number;
  consecutiveCycles: number;
}

const ordinal = (c: CycleRef): number => (c.kind === 'annual' ? c.year : c.year * 12 + ((c.month ?? 1) - 1));

/**
 * Looks at one kind of cycle only: a monthly fail and an annual fail are not "in a row". A cycle without an
 * evaluation (leave, a new joiner) breaks the streak, so nobody is flagged on a gap HR never scored.
 */
export function positionReview(
  config: EvaluationConfig,
  kind: CycleKind,
  outcomes: readonly CycleOutcome[],
): PositionReviewFlag {
  const { belowScore, consecutiveCycles } = config.positionReview;
  const ofKind = outcomes.filter((o) => o.cycle.kind === kind).sort((a, b) => ordinal(a.cycle) - ordinal(b.cycle));
  const streak: CycleRef[] = [];
  for (let i = ofKind.length - 1; i >= 0; i--) {
    const o = ofKind[i]!;
    const later = streak[0];
    if (o.overall >= belowScore || (later && ordinal(later) - ordinal(o.cycle) !== 1)) break;
    streak.unshift(o.cycle);
  }
  return {
    flagged: streak.length >= consecutiveCycles,
    streak: streak.length,
    cycles: streak,
    belowScore,
    consecutiveCycles,
  };
}
