// A final checklist submit saves the submission before its ack and writes the inspection's details and messages
// after it. Here the process "dies" after the ack (the work left for after the answer never runs): the recovery
// writes them out, exactly once, even when two processes' recoveries and the late follow-up race.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/create-core.js';
import { type Database, openMigratedDatabase } from '../../src/store/database.js';
import { createRepos } from '../../src/store/index.js';
import { FixedClock } from '../support/clock.js';
import { STORE_BACKENDS } from '../support/db.js';
import { ackedOnly as ackedOnlyOn, type InspectionCore, startInspectionCore } from '../support/inspections.js';

const SUP = { platform: 'slack' as const, userId: 'USUP' };

describe.each(STORE_BACKENDS)('a checklist acked but never written out, on %s', (kind) => {
  const clock = new FixedClock(new Date('2026-11-23T02:00:00Z'));
  let env: InspectionCore;
  let second: Database | undefined;

  beforeEach(async () => {
    clock.set('2026-11-23T02:00:00Z');
    env = await startInspectionCore(kind, clock);
  });
  afterEach(async () => {
    await second?.close();
    second = undefined;
    await env.db.destroy();
  });

  const ackedOnly = () => ackedOnlyOn(env.core, SUP, clock.now());

  const written = async () => {
    const p = env.db.prisma;
    return {
      inspections: await p.inspection.count(),
      unwritten: await p.inspection.count({ where: { materializedAt: null } }),
      items: await p.itemResult.count(),
      scores: await p.inspectionDimensionScore.count(),
      findings: await p.finding.count(),
      outbox: (await p.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map((o) => o.dedupeKey),
    };
  };

  it('saves the submission before the ack, and the recovery writes the rest once', async () => {
    const done = await ackedOnly();
    const inspection = await env.db.prisma.inspection.findFirstOrThrow();
    // The confirmation names the inspection and its findings, computed before anything else was written.
    expect(done.message.text).toContain(`#${inspection.id}`);
    expect(done.message.text).toMatch(/1 finding\(s\)|问题 1 条/);
    expect(await written()).toEqual({ inspections: 1, unwritten: 1, items: 0, scores: 0, findings: 0, outbox: [] });

    // A retried delivery of the last page still answers "already saved", and saves nothing more.
    const again = await env.core.submitForm({
      actor: SUP,
      formType: 'inspection',
      formId: inspection.draftId,
      page: 1,
      values: {},
      now: clock.now(),
    });
    expect(again.kind === 'done' && again.message.text).toContain(`#${inspection.id}`);
    expect(again.kind === 'done' && again.afterAnswer).toBeFalsy();

    // The periodic sweep leaves a young submission to the live queue that has it.
    expect(await env.inspections.recover(clock.now())).toBe(0);
    expect((await written()).unwritten).toBe(1);

    // At the next start: all of them.
    await env.inspections.recover(clock.now(), true);
    const finding = await env.db.prisma.finding.findFirstOrThrow();
    expect(await written()).toEqual({
      inspections: 1,
      unwritten: 0,
      items: 15,
      scores: 5,
      findings: 1,
      outbox: [`inspection:${inspection.id}:summary`, `finding:${finding.id}:v0:card:${env.people.王经理!.id}`],
    });
    expect(finding).toMatchObject({ description: 'Fire exit blocked', inspectionId: inspection.id, status: 'open' });
    expect(finding.createdAt).toEqual(inspection.submittedAt);

    // Nothing is written twice: neither a later sweep nor the follow-up that finally runs.
    clock.advance(120_000);
    expect(await env.inspections.recover(clock.now())).toBe(0);
    await done.afterAnswer?.();
    expect((await written()).outbox).toHaveLength(2);
    expect((await written()).items).toBe(15);
  });

  it('writes the details once when two processes recover and the follow-up runs, all at once', async () => {
    const done = await ackedOnly();
    second = await openMigratedDatabase(env.db.url);
    const peer = createCore(createRepos(second), {
      profiles: {},
      defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
    });
    clock.advance(120_000);
    await Promise.all([
      env.inspections.recover(clock.now()),
      peer.inspections.recover(clock.now()),
      peer.inspections.recover(clock.now(), true),
      done.afterAnswer?.(),
    ]);
    const w = await written();
    expect(w).toMatchObject({ inspections: 1, unwritten: 0, items: 15, scores: 5, findings: 1 });
    expect(w.outbox).toHaveLength(2);
    expect(await env.db.prisma.itemResult.count({ where: { failed: true } })).toBe(1);
  });
});
