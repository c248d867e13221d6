import { describe, expect, it } from 'vitest';
import {
  EVALUATION_PARTS,
  type EvaluationAccessContext,
  type EvaluationViewer,
  mayView,
  type PrivacyRefusal,
  visibleParts,
} from '../../../src/core/evaluations/privacy.js';
import { EVALUATION_MESSAGES } from '../../../src/core/i18n/messages-evaluations.js';

// Member 1 is evaluated; 2 manages their department; 3 rates as their supervisor without being the department
// manager (an acting manager); 4 and 5 are peers; 6 is a customer; 7 is in HR and also a peer; 8 is an admin,
// 9 in HR, 10 is nobody in particular.
const ctx = (reviewRecorded: boolean): EvaluationAccessContext => ({
  memberId: 1,
  supervisorIds: [2],
  raters: [
    { memberId: 1, kind: 'self' },
    { memberId: 3, kind: 'supervisor' },
    { memberId: 4, kind: 'peer' },
    { memberId: 5, kind: 'peer' },
    { memberId: 6, kind: 'customer' },
    { memberId: 7, kind: 'peer' },
  ],
  reviewRecorded,
});
const who = (memberId: number, flags: Partial<EvaluationViewer> = {}): EvaluationViewer => ({
  memberId,
  admin: false,
  hr: false,
  ...flags,
});

const Y = true;
const NI: PrivacyRefusal = 'evaluation.refused.notInvolved';
const BR: PrivacyRefusal = 'evaluation.refused.beforeReview';
const AN: PrivacyRefusal = 'evaluation.refused.anonymous';
const OO: PrivacyRefusal = 'evaluation.refused.ownOnly';
const NS: PrivacyRefusal = 'evaluation.refused.noSubmission';

type Row = [string, EvaluationViewer, Array<true | PrivacyRefusal>, Array<true | PrivacyRefusal>];
// Columns: own-submission, self, supervisor, peers, customers, result, review — before and after the review.
const MATRIX: Row[] = [
  ['the member', who(1), [Y, Y, BR, AN, AN, BR, BR], [Y, Y, Y, AN, AN, Y, Y]],
  ['the member, who is an admin', who(1, { admin: true }), [Y, Y, BR, AN, AN, BR, BR], [Y, Y, Y, AN, AN, Y, Y]],
  ['the member, who is in HR', who(1, { hr: true }), [Y, Y, BR, AN, AN, BR, BR], [Y, Y, Y, AN, AN, Y, Y]],
  ['their department manager', who(2), [Y, Y, Y, Y, Y, Y, Y], [Y, Y, Y, Y, Y, Y, Y]],
  ['whoever rates as their supervisor', who(3), [Y, Y, Y, Y, Y, Y, Y], [Y, Y, Y, Y, Y, Y, Y]],
  ['a peer', who(4), [Y, OO, OO, OO, OO, OO, OO], [Y, OO, OO, OO, OO, OO, OO]],
  ['a customer', who(6), [Y, OO, OO, OO, OO, OO, OO], [Y, OO, OO, OO, OO, OO, OO]],
  ['an HR peer', who(7, { hr: true }), [Y, Y, Y, Y, Y, Y, Y], [Y, Y, Y, Y, Y, Y, Y]],
  ['an admin', who(8, { admin: true }), [NS, Y, Y, Y, Y, Y, Y], [NS, Y, Y, Y, Y, Y, Y]],
  ['HR', who(9, { hr: true }), [NS, Y, Y, Y, Y, Y, Y], [NS, Y, Y, Y, Y, Y, Y]],
  ['anyone else', who(10), [NI, NI, NI, NI, NI, NI, NI], [NI, NI, NI, NI, NI, NI, NI]],
];

describe('who may see what of an evaluation', () => {
  for (const [name, viewer, before, after] of MATRIX)
    it(name, () => {
      expect(EVALUATION_PARTS.map((p) => mayView(viewer, ctx(false), p))).toEqual(before);
      expect(EVALUATION_PARTS.map((p) => mayView(viewer, ctx(true), p))).toEqual(after);
    });

  it('covers every part in the table', () => {
    expect(EVALUATION_PARTS).toEqual([
      'own-submission',
      'self',
      'supervisor',
      'peers',
      'customers',
      'result',
      'review',
    ]);
    for (const [, , before, after] of MATRIX) expect([before.length, after.length]).toEqual([7, 7]);
  });

  it('refuses with sentences both languages have', () => {
    for (const key of [NI, BR, AN, OO, NS])
      expect(EVALUATION_MESSAGES[key].en && EVALUATION_MESSAGES[key].zh).toBeTruthy();
  });

  it('lists the parts a viewer may open', () => {
    expect(visibleParts(who(1), ctx(false))).toEqual(['own-submission', 'self']);
    expect(visibleParts(who(1), ctx(true))).toEqual(['own-submission', 'self', 'supervisor', 'result', 'review']);
    expect(visibleParts(who(5), ctx(true))).toEqual(['own-submission']);
  });
});
