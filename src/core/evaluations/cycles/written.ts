// The written evaluations `eval result` shows beside the score: each submission the reader may see (privacy.ts
// mayView: the submissions of a rater kind, or what they wrote themselves), per criterion the score and the
// comment. Peers and customers are named only to readers other than the member (who never sees them anyway).

import { pick, t } from '../../i18n/t.js';
import type { Locale } from '../../ports.js';
import type { Block } from '../../views/types.js';
import type { EvaluationConfig, RaterKind } from '../criteria.js';
import { type EvaluationAccessContext, type EvaluationPart, type EvaluationViewer, mayView } from '../privacy.js';
import type { SubmissionRecord } from './types.js';

const PART: Record<RaterKind, EvaluationPart> = {
  self: 'self',
  supervisor: 'supervisor',
  peer: 'peers',
  customer: 'customers',
};
const ORDER: RaterKind[] = ['self', 'supervisor', 'peer', 'customer'];

/** The submissions `viewer` may read, in rater order (self, supervisor, peers, customers), then as submitted. */
export function visibleSubmissions(
  viewer: EvaluationViewer,
  ctx: EvaluationAccessContext,
  submissions: readonly SubmissionRecord[],
): SubmissionRecord[] {
  const own = mayView(viewer, ctx, 'own-submission') === true;
  return submissions
    .filter((x) => mayView(viewer, ctx, PART[x.raterKind]) === true || (own && x.raterMemberId === viewer.memberId))
    .sort(
      (a, b) =>
        ORDER.indexOf(a.raterKind) - ORDER.indexOf(b.raterKind) ||
        a.submittedAt.getTime() - b.submittedAt.getTime() ||
        a.id - b.id,
    );
}

export interface WrittenOptions {
  locale: Locale;
  /** The reader is the member evaluated: peers and customers stay unnamed. */
  readerIsMember: boolean;
  memberName: string;
  names: ReadonlyMap<number, string>;
}

export function writtenBlocks(config: EvaluationConfig, list: readonly SubmissionRecord[], o: WrittenOptions): Block[] {
  if (list.length === 0) return [];
  const l = o.locale;
  const criteria = config.dimensions.flatMap((d) => d.criteria);
  const blocks: Block[] = [{ kind: 'divider' }, { kind: 'text', text: `*${t(l, 'evaluation.written.title')}*` }];
  for (const x of list) {
    const rater =
      x.raterMemberId !== null ? (o.names.get(x.raterMemberId) ?? `#${x.raterMemberId}`) : (x.raterLabel ?? '');
    const title =
      x.raterKind === 'self'
        ? t(l, 'evaluation.written.self', { name: o.memberName })
        : x.raterKind === 'supervisor'
          ? t(l, 'evaluation.written.supervisor', { name: rater })
          : o.readerIsMember
            ? t(l, `evaluation.rater.${x.raterKind}`)
            : t(l, x.raterKind === 'peer' ? 'evaluation.written.peer' : 'evaluation.written.customer', { name: rater });
    const lines = criteria.flatMap((c) => {
      const score = x.scores[c.key];
      if (score === undefined) return [];
      const note = x.comments[c.key]?.trim();
      const criterion = pick(c.text, l);
      return [
        `- ${note ? t(l, 'evaluation.written.lineNote', { criterion, score, note }) : t(l, 'evaluation.written.line', { criterion, score })}`,
      ];
    });
    // One block per submission: the renderers split long texts and cap blocks as their platform needs.
    blocks.push({ kind: 'text', text: [`*${title}*`, ...lines].join('\n') });
  }
  return blocks;
}
