import { beforeEach, describe, expect, it } from 'vitest';
import type { FormView, Reply } from '../../../src/core/views/types.js';
import { fieldsOf } from '../../../src/core/views/types.js';
import { FixedClock } from '../../support/clock.js';
import { failFirst, passAll } from '../../support/forms.js';
import { type MemoryInspectionCore, startMemoryInspectionCore, submitAndSettle } from '../../support/inspections.js';

const asForm = (r: Reply): FormView => {
  if (r.kind !== 'form') throw new Error(`expected a form, got ${JSON.stringify(r)}`);
  return r.form;
};
const textOf = (r: Reply) =>
  r.kind === 'message' ? r.message.blocks.map((b) => ('text' in b ? b.text : '')).join('\n') + r.message.text : '';

describe('inspection flow', () => {
  let { db, repos, people, core } = {} as MemoryInspectionCore;
  const clock = new FixedClock(new Date('2026-11-23T02:00:00Z'));
  const actor = (slack: string) => ({ platform: 'slack' as const, userId: slack });

  beforeEach(async () => {
    ({ db, repos, people, core } = await startMemoryInspectionCore(clock));
  });

  it('refuses members and unknown departments without creating anything', async () => {
    const denied = await core.command({
      actor: actor('USTAFF'),
      text: 'inspect 门店A',
      channelId: 'C1',
      now: clock.now(),
    });
    expect(textOf(denied)).toContain('督导员');
    const unknown = await core.command({
      actor: actor('USUP'),
      text: 'inspect Nowhere',
      channelId: 'C1',
      now: clock.now(),
    });
    expect(textOf(unknown)).toContain('There is no department “Nowhere”');
    expect(textOf(unknown)).toContain('门店A');
    expect(await db.inspectionDraft.count()).toBe(0);
  });

  it('runs a paged checklist to a saved inspection with findings, scores and queued messages', async () => {
    const page0 = asForm(
      await core.command({ actor: actor('USUP'), text: 'inspect 门店A', channelId: 'C-ops', now: clock.now() }),
    );
    expect(page0.pageCount).toBe(2);
    expect(page0.title).toBe('Inspection: 门店A');
    // The responsible person defaults to the department manager.
    const owner = fieldsOf(page0).find((f) => f.id.endsWith('_owner'))!;
    expect(owner.initial).toBe(String(people.王经理!.id));

    // Missing answers: inline errors, nothing saved, page not advanced.
    const empty = await core.submitForm({
      actor: actor('USUP'),
      formType: 'inspection',
      formId: page0.formId,
      page: 0,
      values: {},
      now: clock.now(),
    });
    expect(empty.kind).toBe('errors');
    if (empty.kind !== 'errors') return;
    expect(Object.keys(empty.errors).length).toBe(fieldsOf(page0).filter((f) => f.id.endsWith('_score')).length);
    expect(Object.values(empty.errors)[0]).toBe('Required.');
    // A failed item without finding text is refused too, with the reason on the right field.
    const noDesc = failFirst(page0, { desc: '' });
    const bad = await core.submitForm({
      actor: actor('USUP'),
      formType: 'inspection',
      formId: page0.formId,
      page: 0,
      values: { ...noDesc, d0i1_ev: 'not a link' },
      now: clock.now(),
    });
    expect(bad.kind === 'errors' && bad.errors).toMatchObject({
      d0i0_desc: 'Describe the finding for this failed item.',
      d0i1_ev: 'Enter a link starting with http:// or https://.',
    });
    expect(bad.kind === 'errors' && fieldsOf(bad.form).find((f) => f.id === 'd0i1_ev')?.initial).toBe('not a link');
    expect((await repos.inspections.draft(page0.formId))?.page).toBe(0);

    const v0 = failFirst(page0, { desc: '收银流程缺少复核', impact: '全店', ev: 'https://example.com/p.jpg' });
    const next = await core.submitForm({
      actor: actor('USUP'),
      formType: 'inspection',
      formId: page0.formId,
      page: 0,
      values: v0,
      now: clock.now(),
    });
    expect(next.kind).toBe('next');
    if (next.kind !== 'next') return;

    // Someone else cannot submit the supervisor's checklist.
    const other = await core.submitForm({
      actor: actor('UADMIN'),
      formType: 'inspection',
      formId: page0.formId,
      page: 1,
      values: passAll(next.form),
      now: clock.now(),
    });
    expect(other).toMatchObject({ kind: 'refused' });

    const done = await submitAndSettle(core, {
      actor: actor('USUP'),
      formType: 'inspection',
      formId: page0.formId,
      page: 1,
      values: passAll(next.form),
      now: clock.now(),
    });
    expect(done.kind).toBe('done');
    // A double click on submit has exactly one effect.
    const again = await submitAndSettle(core, {
      actor: actor('USUP'),
      formType: 'inspection',
      formId: page0.formId,
      page: 1,
      values: passAll(next.form),
      now: clock.now(),
    });
    expect(again.kind).toBe('done');

    expect(await db.inspection.count()).toBe(1);
    const inspection = await db.inspection.findFirstOrThrow();
    // 14 of 15 items pass: the first (weight 1) failed.
    expect(inspection.overallScore).toBeCloseTo(93.3, 1);
    expect(await db.itemResult.count()).toBe(15);
    const dims = await db.inspectionDimensionScore.findMany({ orderBy: { dimensionKey: 'asc' } });
    expect(dims.find((d) => d.dimensionKey === 'process')?.score).toBeCloseTo(66.7, 1);
    const findings = await db.finding.findMany();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      description: '收银流程缺少复核',
      impact: '全店',
      severity: 'high',
      responsibleMemberId: people.王经理!.id,
      status: 'open',
    });
    expect(JSON.parse(findings[0]!.evidenceUrls)).toEqual(['https://example.com/p.jpg']);

    const outbox = await db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(outbox.map((o) => [o.targetKind, o.targetId])).toEqual([
      ['channel', 'C-ops'],
      ['user', 'UMGR'],
    ]);
    // The manager reads Chinese and gets a card for the finding with its first step; the supervisor English.
    expect(outbox[1]!.payload).toContain(`新问题 #${findings[0]!.id}`);
    expect(outbox[1]!.payload).toContain('提交整改计划');
    expect(outbox[1]!.refKey).toBe(`finding:${findings[0]!.id}:card:${people.王经理!.id}`);
    expect(outbox[0]!.payload).toContain('Inspection #');
  });

  it('links every finding to its own item result and tells each responsible person about theirs', async () => {
    const page0 = asForm(
      await core.command({ actor: actor('USUP'), text: 'inspect 门店A', channelId: 'C-ops', now: clock.now() }),
    );
    const n = await core.submitForm({
      actor: actor('USUP'),
      formType: 'inspection',
      formId: page0.formId,
      page: 0,
      values: failFirst(page0, { desc: 'Till not checked', owner: String(people.李员工!.id) }),
      now: clock.now(),
    });
    if (n.kind !== 'next') throw new Error('expected next');
    const last = failFirst(n.form, { desc: 'Fire exit blocked', sev: 'critical' });
    // A second failed item on the last page, owned by the manager (the default).
    const second = fieldsOf(n.form).filter((f) => f.id.endsWith('_score'))[1]!;
    const p = second.id.replace(/_score$/, '');
    Object.assign(last, {
      [second.id]: second.options?.some((o) => o.value === 'fail') ? 'fail' : '0',
      [`${p}_note`]: 'seen',
      [`${p}_desc`]: 'No first-aid kit',
      [`${p}_sev`]: 'low',
    });
    expect(
      (
        await submitAndSettle(core, {
          actor: actor('USUP'),
          formType: 'inspection',
          formId: page0.formId,
          page: 1,
          values: last,
          now: clock.now(),
        })
      ).kind,
    ).toBe('done');

    const findings = await db.finding.findMany({ orderBy: { id: 'asc' } });
    expect(findings.map((f) => [f.description, f.responsibleMemberId, f.severity])).toEqual([
      ['Till not checked', people.李员工!.id, 'high'],
      ['Fire exit blocked', people.王经理!.id, 'critical'],
      ['No first-aid kit', people.王经理!.id, 'low'],
    ]);
    for (const f of findings) {
      const item = await db.itemResult.findUniqueOrThrow({ where: { id: f.itemResultId! } });
      expect(item).toMatchObject({
        dimensionKey: f.dimensionKey,
        itemKey: f.itemKey,
        failed: true,
        inspectionId: f.inspectionId,
      });
    }
    expect(await db.itemResult.count({ where: { failed: true } })).toBe(3);
    // Each person's message names their own findings by id.
    const dms = await db.outboxMessage.findMany({ where: { targetKind: 'user' }, orderBy: { id: 'asc' } });
    const to = (slack: string) =>
      dms
        .filter((m) => m.targetId === slack)
        .map((m) => m.payload)
        .join('\n');
    expect(to('USTAFF')).toContain(`#${findings[0]!.id}`);
    expect(to('USTAFF')).not.toContain(`#${findings[1]!.id}`);
    expect(to('UMGR')).toContain(`#${findings[1]!.id}`);
    expect(to('UMGR')).toContain(`#${findings[2]!.id}`);
  });

  it('answers status and findings from the database with per-role visibility', async () => {
    const page0 = asForm(
      await core.command({ actor: actor('USUP'), text: '检查 门店A', channelId: 'C1', now: clock.now() }),
    );
    const n = await core.submitForm({
      actor: actor('USUP'),
      formType: 'inspection',
      formId: page0.formId,
      page: 0,
      values: failFirst(page0, { desc: 'Fire exit blocked', sev: 'critical' }),
      now: clock.now(),
    });
    if (n.kind !== 'next') throw new Error('expected next');
    await submitAndSettle(core, {
      actor: actor('USUP'),
      formType: 'inspection',
      formId: page0.formId,
      page: 1,
      values: passAll(n.form),
      now: clock.now(),
    });

    clock.advance(3 * 86_400_000);
    const status = textOf(
      await core.command({ actor: actor('USUP'), text: 'status 门店A', channelId: 'C1', now: clock.now() }),
    );
    expect(status).toContain('Status — 门店A');
    expect(status).toContain('critical: 1');
    expect(status).toContain('Fire exit blocked');
    expect(status).toContain('3 d');

    const staff = textOf(
      await core.command({ actor: actor('USTAFF'), text: '问题', channelId: 'C1', now: clock.now() }),
    );
    expect(staff).toContain('Fire exit blocked');
    const bob = textOf(
      await core.command({ actor: actor('UBOB'), text: 'findings 门店A', channelId: 'C1', now: clock.now() }),
    );
    expect(bob).toContain('Only');
  });
});
