// The rectification loop through the core on the in-memory store: every step, who may take it, the history,
// and the notifications written with each change. A double-clicked form racing itself is applied once by the
// database's conditional update: test/store/step-races.test.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActorRef } from '../../../src/core/ports.js';
import { FixedClock } from '../../support/clock.js';
import { asForm, type MemoryFindingCore, textOf, useMemoryFindingCore } from '../../support/inspections.js';

const slack = (userId: string): ActorRef => ({ platform: 'slack', userId });
const SUP = slack('USUP');
const MGR = slack('UMGR');
const STAFF = slack('USTAFF');
const BOB = slack('UBOB');
const ADMIN = slack('UADMIN');

describe('rectification', () => {
  let { db, repos, people, core, findingId } = {} as MemoryFindingCore;
  const clock = new FixedClock(); // set to Monday 10:00 in Shanghai before each test
  const { click, step, finding } = useMemoryFindingCore(
    clock,
    SUP,
    (env) => ({ db, repos, people, core, findingId } = env),
  );
  beforeEach(async () => db.outboxMessage.deleteMany());
  const unchanged = async (before: Awaited<ReturnType<typeof finding>>) => {
    expect(await finding()).toEqual(before);
    expect(await db.outboxMessage.count()).toBe(0);
  };

  it('carries a finding from open to accepted through a rejection, recording every step', async () => {
    const plan = await step(MGR, 'plan', {
      measures: '增加收银复核岗',
      owner: String(people.李员工!.id),
      deadline: '2026-11-30',
      support: '需要排班支持',
    });
    expect(plan.kind).toBe('done');
    let f = await finding();
    expect(f).toMatchObject({
      status: 'planned',
      ownerId: people.李员工!.id,
      planMeasures: '增加收银复核岗',
      version: 1,
    });
    // The deadline date ends at 18:00 in the owner's zone (Shanghai), stored in UTC.
    expect(f.deadline?.toISOString()).toBe('2026-11-30T10:00:00.000Z');

    // The owner reports progress, then asks for acceptance with evidence.
    expect((await step(STAFF, 'progress', { percent: '50', note: '已安排人员' })).kind).toBe('done');
    expect(
      (
        await step(STAFF, 'submit', {
          done: '复核岗已上岗',
          evidence: 'https://example.com/a.jpg\nhttps://example.com/b.jpg',
        })
      ).kind,
    ).toBe('done');
    f = await finding();
    expect(f.status).toBe('submitted');
    expect(JSON.parse(f.evidenceUrls)).toEqual(['https://example.com/a.jpg', 'https://example.com/b.jpg']);

    // The supervisor rejects with a new deadline; the work goes back to in progress.
    clock.advance(86_400_000);
    expect((await step(SUP, 'reject', { reason: 'Only one shift covered', deadline: '2026-12-04' })).kind).toBe('done');
    f = await finding();
    expect(f).toMatchObject({ status: 'in_progress', rejectionCount: 1 });
    expect(f.deadline?.toISOString()).toBe('2026-12-04T10:00:00.000Z');

    expect((await step(STAFF, 'submit', { done: '所有班次已覆盖' })).kind).toBe('done');
    const accepted = await step(SUP, 'accept', { effect: 'Verified on site' });
    expect(accepted.kind === 'done' && accepted.message.text).toBe(`Saved. Finding #${findingId} is now accepted.`);
    f = await finding();
    expect(f).toMatchObject({ status: 'accepted', progressPercent: 100, nextReminderAt: null });
    expect(f.closedAt).not.toBeNull();

    const history = await repos.findings.events(findingId);
    expect(history.map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['plan', 'open', 'planned'],
      ['progress', 'planned', 'in_progress'],
      ['submit', 'in_progress', 'submitted'],
      ['reject', 'submitted', 'in_progress'],
      ['submit', 'in_progress', 'submitted'],
      ['accept', 'submitted', 'accepted'],
    ]);
    expect(history[3]).toMatchObject({
      actorId: people['Sam Supervisor']!.id,
      note: 'Only one shift covered',
      data: { deadline: '2026-12-04' },
    });

    // `finding <id>` shows the card and the timeline in the reader's language.
    const shown = textOf(
      await core.command({ actor: MGR, text: `问题详情 ${findingId}`, channelId: 'D1', now: clock.now() }),
    );
    expect(shown).toContain('已验收');
    expect(shown).toContain('验收不通过');
    expect(shown).toContain('Only one shift covered');
  });

  it('notifies the people concerned: cards updated in place, and a notice to whoever must act next', async () => {
    await step(MGR, 'plan', { measures: 'Fix', owner: String(people.李员工!.id), deadline: '2026-11-30' });
    await db.outboxMessage.deleteMany();
    await step(STAFF, 'submit', { done: 'Done' });
    const rows = await db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    const cards = rows.filter((r) => r.refKey);
    const notices = rows.filter((r) => !r.refKey);
    const sup = people['Sam Supervisor']!;
    // Supervisor, manager and owner each have one card for the finding; the owner acted, so theirs is only refreshed.
    expect(cards.map((r) => [r.targetId, r.updateOnly]).sort()).toEqual([
      ['UMGR', false],
      ['USTAFF', true],
      ['USUP', false],
    ]);
    expect(
      cards.every(
        (r) =>
          r.refKey ===
          `finding:${findingId}:card:${people[r.targetId === 'USUP' ? 'Sam Supervisor' : r.targetId === 'UMGR' ? '王经理' : '李员工']!.id}`,
      ),
    ).toBe(true);
    expect(notices.map((r) => r.targetId)).toEqual(['USUP']);
    expect(notices[0]!.payload).toContain(`submitted finding #${findingId} for acceptance`);
    // The supervisor's card offers the acceptance buttons, in English.
    const supCard = cards.find((r) => r.targetId === 'USUP')!.payload;
    expect(supCard).toContain('"Accept"');
    expect(supCard).toContain('"Reject"');
    expect(sup.locale).toBe('en');
  });

  it('refuses steps from the wrong people or in the wrong state, and changes nothing', async () => {
    const before = await finding();
    // Bob works in another department; the staff member may not judge; nobody may accept an open finding.
    const bob = await click(BOB, 'plan');
    expect(textOf(bob)).toContain('Only the owner or the department manager or admins can Submit plan');
    expect(textOf(await click(MGR, 'accept'))).toContain('“验收通过”');
    expect(textOf(await click(SUP, 'progress'))).toContain(`Finding #${findingId} is open`);
    await unchanged(before);

    // A forged submission with someone else's form is refused too.
    const form = asForm(await click(MGR, 'plan'));
    const forged = await core.submitForm({
      actor: BOB,
      formType: form.formType,
      formId: form.formId,
      page: 0,
      values: { measures: 'x', owner: String(people['Bob Staff']!.id), deadline: '2026-11-30' },
      now: clock.now(),
    });
    expect(forged.kind).toBe('refused');
    await unchanged(before);
  });

  it('returns invalid answers on their fields and saves nothing', async () => {
    const before = await finding();
    const bad = await step(MGR, 'plan', { measures: '', owner: '999999', deadline: '2026-11-01' });
    expect(bad.kind).toBe('errors');
    if (bad.kind !== 'errors') return;
    expect(bad.errors).toEqual({
      measures: '必填。',
      owner: '请从列表中选择。',
      deadline: '日期不能早于今天（2026-11-23）。',
    });
    // The form comes back as filled.
    const deadline = bad.form.elements.find((e) => e.kind === 'field' && e.field.id === 'deadline');
    expect(deadline?.kind === 'field' && deadline.field.initial).toBe('2026-11-01');
    const far = await step(MGR, 'plan', { measures: 'x', owner: String(people.王经理!.id), deadline: '2028-01-01' });
    expect(far.kind === 'errors' && far.errors.deadline).toBe('请选择一年以内的日期。');
    await step(MGR, 'plan', { measures: 'x', owner: String(people.王经理!.id), deadline: 'soon' }).then((r) =>
      expect(r.kind === 'errors' && r.errors.deadline).toBe('请选择日期。'),
    );
    await unchanged(before);
  });

  it('lets supervisors extend deadlines and reassign owners, with reasons', async () => {
    await step(MGR, 'plan', { measures: 'Fix', owner: String(people.王经理!.id), deadline: '2026-11-30' });
    const early = await step(SUP, 'extend', { deadline: '2026-11-27', reason: 'x' });
    expect(early.kind === 'errors' && early.errors.deadline).toBe(
      'Choose a date after the current deadline (2026-11-30).',
    );
    expect((await step(SUP, 'extend', { deadline: '2026-12-10', reason: 'Parts on order' })).kind).toBe('done');
    expect((await step(SUP, 'reassign', { owner: String(people.李员工!.id) })).kind).toBe('done');
    expect(await finding()).toMatchObject({ ownerId: people.李员工!.id, status: 'planned' });
    expect((await finding()).deadline?.toISOString()).toBe('2026-12-10T10:00:00.000Z');
    expect(textOf(await click(MGR, 'extend'))).toContain('只有督导员或管理员');
  });

  it('answers my and overdue from the database', async () => {
    expect(textOf(await core.command({ actor: MGR, text: '我的', channelId: 'D1', now: clock.now() }))).toContain(
      'Fire exit blocked',
    );
    expect(textOf(await core.command({ actor: BOB, text: 'my', channelId: 'D1', now: clock.now() }))).toContain(
      'Nothing waiting for you.',
    );
    await step(MGR, 'plan', { measures: 'Fix', owner: String(people.王经理!.id), deadline: '2026-11-24' });
    expect(textOf(await core.command({ actor: SUP, text: 'overdue', channelId: 'D1', now: clock.now() }))).toContain(
      'Nothing is overdue.',
    );
    clock.set('2026-11-27T02:00:00Z');
    const overdue = textOf(
      await core.command({ actor: SUP, text: 'overdue 门店A', channelId: 'D1', now: clock.now() }),
    );
    expect(overdue).toContain(`#${findingId}`);
    expect(overdue).toContain('王经理');
    expect(
      textOf(await core.command({ actor: BOB, text: 'overdue 门店A', channelId: 'D1', now: clock.now() })),
    ).toContain('Only');
    expect(
      textOf(await core.command({ actor: ADMIN, text: 'remind now', channelId: 'D1', now: clock.now() })),
    ).toContain('Reminders are not set up');
  });
});
