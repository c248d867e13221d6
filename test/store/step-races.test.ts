// Two steps at the same moment on a real store (SQLite, and PostgreSQL when DUDAO_TEST_PG_URL is set): a
// double-clicked finding form is applied once, and the supervisor's and the last peer's answers score an annual
// evaluation exactly once. Both rest on the database's conditional updates and row locks; the flows themselves
// are tested in memory (test/core/rectification, test/core/evaluations).
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../support/clock.js';
import { STORE_BACKENDS } from '../support/db.js';
import { type EvaluationCore, SLACK_ACTORS, scoresAt, useEvaluationCore } from '../support/evaluation-core.js';
import { asForm, type FindingCore, textOf, useFindingCore } from '../support/inspections.js';
import { EVAL_ORG } from '../support/org.js';

const { HR, MGR, STAFF, BOB, SUP } = SLACK_ACTORS;

describe.each(STORE_BACKENDS)('steps racing on %s', (kind) => {
  describe('a finding', () => {
    let { repos, people, core, findingId } = {} as FindingCore;
    const clock = new FixedClock(); // set to Monday 10:00 in Shanghai before each test
    const { click } = useFindingCore(kind, clock, SUP, (env) => ({ repos, people, core, findingId } = env));

    it('applies a double-clicked or outdated form once and refuses the stale copy', async () => {
      const form = asForm(await click(MGR, 'plan'));
      const values = { measures: 'Fix', owner: String(people.王经理!.id), deadline: '2026-11-30' };
      const input = { actor: MGR, formType: form.formType, formId: form.formId, page: 0, values, now: clock.now() };
      const [a, b] = await Promise.all([core.submitForm(input), core.submitForm(input)]);
      expect([a.kind, b.kind].sort()).toEqual(['done', 'refused']);
      expect(await repos.findings.events(findingId)).toHaveLength(1);
    });
  });

  describe('an annual evaluation', () => {
    let { db, people } = {} as EvaluationCore;
    const clock = new FixedClock(); // set to Monday 10:00 in Shanghai before each test
    const use = (env: EvaluationCore) => ({ db, people } = env);
    const { cmd, click, submit, participant } = useEvaluationCore(kind, clock, { people: EVAL_ORG }, use);

    it('scores exactly once when the supervisor and the last peer submit at the same moment', async () => {
      await cmd(HR, 'eval open annual dept 门店A deadline 2026-12-01');
      const staff = await participant('李员工');
      // Bob, nominated by 李员工 and approved by the manager, is the one peer.
      const nominated = textOf(await cmd(STAFF, 'eval peers <@UBOB>'));
      const approved = textOf(await click(MGR, 'approve', `${staff.id}:${people['Bob Staff']!.id}`));
      expect([nominated, approved]).toEqual([expect.stringContaining('已提名'), expect.stringContaining('已同意')]);
      const selfForm = asForm(await click(STAFF, 'self', staff.id));
      await submit(STAFF, selfForm, scoresAt(selfForm, '5'));
      // Both forms are open, then both are submitted together: each judged readiness before the other's save.
      const supForm = asForm(await click(MGR, 'supervisor', staff.id));
      const peerForm = asForm(await click(BOB, 'peer', staff.id));
      await db.prisma.outboxMessage.deleteMany();
      const [sup, peer] = await Promise.all([
        submit(MGR, supForm, scoresAt(supForm, '4')),
        submit(BOB, peerForm, scoresAt(peerForm, '3')),
      ]);
      expect([sup.kind, peer.kind]).toEqual(['done', 'done']);
      const p = await participant('李员工');
      // self (v1), supervisor (v2), score (v3): one score transition.
      expect(p).toMatchObject({ stage: 'review', version: 3, overallScore: expect.any(Number) });
      expect(JSON.parse(p.result!).explanation[0]).toMatchObject({ counts: { self: 1, supervisor: 1, peer: 1 } });
      // The card versions of the score were queued once.
      const scoredCards = (await db.prisma.outboxMessage.findMany()).filter(
        (r) =>
          r.dedupeKey.startsWith(`eval:${staff.id}:v3:`) && r.refKey === `eval:${staff.id}:card:${people.李员工!.id}`,
      );
      expect(scoredCards.length).toBeLessThanOrEqual(1);
      // What the manager's card will show: the one version still waiting to be sent (older ones are superseded).
      const waiting = await db.prisma.outboxMessage.findMany({
        where: { refKey: `eval:${staff.id}:card:${people.王经理!.id}`, status: 'pending' },
        orderBy: { id: 'asc' },
      });
      expect(waiting).toHaveLength(1);
      expect(waiting[0]!.payload).toContain('eval.review');
    });
  });
});
