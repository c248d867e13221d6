// A deadline is a date in the owner's zone ending at the end of working hours (18:00): it is checked there,
// whoever picks it and wherever they are, so a saved deadline is never already past.
import { describe, expect, it } from 'vitest';
import type { ActorRef } from '../../../src/core/ports.js';
import { formatDateTime } from '../../../src/core/shared/format.js';
import type { FormView } from '../../../src/core/views/types.js';
import { FixedClock } from '../../support/clock.js';
import { asForm, type MemoryFindingCore, useMemoryFindingCore } from '../../support/inspections.js';

const slack = (userId: string): ActorRef => ({ platform: 'slack', userId });
const SUP = slack('USUP'); // Sam Supervisor, English, Europe/London
const MGR = slack('UMGR'); // 王经理, Asia/Shanghai
const STAFF = slack('USTAFF'); // 李员工, the owner, Asia/Shanghai

describe('rectification deadlines in the owner’s zone', () => {
  let { db, repos, people, core, findingId } = {} as MemoryFindingCore;
  const clock = new FixedClock(); // set to Monday 10:00 in Shanghai, 02:00 in London before each test
  const { click, step, finding } = useMemoryFindingCore(
    clock,
    SUP,
    (env) => ({ db, repos, people, core, findingId } = env),
  );
  const deadlineField = (form: FormView) => {
    const el = form.elements.find((e) => e.kind === 'field' && e.field.id === 'deadline');
    return el?.kind === 'field' ? el.field : undefined;
  };
  async function toAcceptance() {
    expect(
      (await step(MGR, 'plan', { measures: '整改', owner: String(people.李员工!.id), deadline: '2026-11-25' })).kind,
    ).toBe('done');
    expect((await step(STAFF, 'submit', { done: '已完成' })).kind).toBe('done');
  }

  it('a supervisor in London rejecting at 20:00 with their "today" is refused inline (the owner’s today is already tomorrow); nothing saved', async () => {
    await toAcceptance();
    clock.set('2026-11-23T20:00:00Z'); // 20:00 Monday in London = 04:00 Tuesday in Shanghai
    const before = await finding();
    const outbox = await db.outboxMessage.count();

    // The form says whose date it is and the earliest one allowed, in the owner's zone.
    const form = asForm(await click(SUP, 'reject'));
    expect(deadlineField(form)?.hint).toBe(
      "A date in 李员工's time zone (China Standard Time); the deadline is 18:00 that day. Earliest: 2026-11-24.",
    );

    const r = await core.submitForm({
      actor: SUP,
      formType: form.formType,
      formId: form.formId,
      page: 0,
      values: { reason: 'Not fixed', deadline: '2026-11-23' },
      now: clock.now(),
    });
    expect(r.kind).toBe('errors');
    if (r.kind !== 'errors') return;
    expect(r.errors).toEqual({ deadline: 'The date cannot be before today (2026-11-24).' });
    expect(deadlineField(r.form)).toMatchObject({
      initial: '2026-11-23',
      error: 'The date cannot be before today (2026-11-24).',
    });
    expect(await finding()).toEqual(before);
    expect(await db.outboxMessage.count()).toBe(outbox);

    // The owner's date that is still ahead is saved as 18:00 in Shanghai, in the future.
    expect((await step(SUP, 'reject', { reason: 'Not fixed', deadline: '2026-11-24' })).kind).toBe('done');
    const f = await finding();
    expect(f.deadline?.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(f.deadline!.getTime()).toBeGreaterThan(clock.now().getTime());
  });

  it('refuses the owner’s today once its 18:00 has passed there, though it is still early where the actor is', async () => {
    clock.set('2026-11-24T11:00:00Z'); // Tuesday 11:00 in London, 19:00 in Shanghai
    // The manager (Chinese) planning for today, too late in Shanghai.
    const before = await finding();
    const plan = await step(MGR, 'plan', {
      measures: '整改',
      owner: String(people.李员工!.id),
      deadline: '2026-11-24',
    });
    expect(plan.kind === 'errors' && plan.errors).toEqual({
      deadline: '该日期的截止时间（李员工所在时区，北京时间 18:00）已过，请选择 2026-11-25 或之后的日期。',
    });
    expect(await finding()).toEqual(before);

    await toAcceptance();
    const submitted = await finding();
    const r = await step(SUP, 'reject', { reason: 'Not fixed', deadline: '2026-11-24' });
    expect(r.kind).toBe('errors');
    if (r.kind !== 'errors') return;
    expect(r.errors.deadline).toBe(
      "That day's deadline (18:00 in 李员工's time zone, China Standard Time) has already passed; choose 2026-11-25 or later.",
    );
    expect(await finding()).toEqual(submitted);
  });

  it('refuses a deadline on a weekend inline, naming the next working day, and offers only working days', async () => {
    const before = await finding();
    const plan = await step(MGR, 'plan', {
      measures: '整改',
      owner: String(people.李员工!.id),
      deadline: '2026-11-28',
    });
    expect(plan.kind === 'errors' && plan.errors).toEqual({
      deadline: '2026-11-28（星期六）是周末，不是工作日；下一个工作日是 2026-11-30（星期一）。',
    });
    expect(plan.kind === 'errors' && deadlineField(plan.form)).toMatchObject({
      initial: '2026-11-28',
      error: '2026-11-28（星期六）是周末，不是工作日；下一个工作日是 2026-11-30（星期一）。',
    });
    expect(await finding()).toEqual(before);
    expect(
      (await step(MGR, 'plan', { measures: '整改', owner: String(people.李员工!.id), deadline: '2026-11-30' })).kind,
    ).toBe('done');

    // A new deadline set by the supervisor is held to the same rule.
    const extend = await step(SUP, 'extend', { deadline: '2026-12-06', reason: 'Parts on order' });
    expect(extend.kind === 'errors' && extend.errors).toEqual({
      deadline: '2026-12-06 (Sunday) is a weekend; the next working day is 2026-12-07 (Monday).',
    });

    // On a Saturday the earliest date the form offers is Monday's.
    clock.set('2026-11-28T02:00:00Z');
    expect(deadlineField(asForm(await click(SUP, 'extend')))?.hint).toBe(
      "A date in 李员工's time zone (China Standard Time); the deadline is 18:00 that day. Earliest: 2026-11-30.",
    );
  });

  it('reads the plan’s deadline in the zone of the owner chosen on the form', async () => {
    await repos.org.updateMember(people.李员工!.id, { timeZone: 'America/New_York' });
    clock.set('2026-11-23T22:00:00Z'); // Tuesday 06:00 in Shanghai (the manager), Monday 17:00 in New York
    // Monday is the manager's yesterday but the owner's today, still before 18:00 there: accepted.
    const ok = await step(MGR, 'plan', {
      measures: '整改',
      owner: String(people.李员工!.id),
      deadline: '2026-11-23',
    });
    expect(ok.kind).toBe('done');
    const f = await finding();
    expect(f.deadline?.toISOString()).toBe('2026-11-23T23:00:00.000Z'); // 18:00 in New York
    expect(f.deadline!.getTime()).toBeGreaterThan(clock.now().getTime());
  });
  it('keeps the deadline instant when the finding goes to an owner in another zone, shown in their zone and read there for a new one', async () => {
    expect(
      (await step(MGR, 'plan', { measures: '整改', owner: String(people.李员工!.id), deadline: '2026-11-25' })).kind,
    ).toBe('done');
    const promised = (await finding()).deadline!;
    expect(promised.toISOString()).toBe('2026-11-25T10:00:00.000Z'); // 18:00 in Shanghai
    // The manager works from London now and takes the finding over.
    await repos.org.updateMember(people.王经理!.id, { timeZone: 'Europe/London' });
    expect((await step(SUP, 'reassign', { owner: String(people.王经理!.id), reason: '人手调整' })).kind).toBe('done');
    // What was promised to the supervisor does not move with the owner: the same instant, 10:00 in London.
    const f = await finding();
    expect(f.deadline).toEqual(promised);
    const cards = await db.outboxMessage.findMany({
      where: { targetId: 'UMGR', refKey: { not: null } },
      orderBy: { id: 'desc' },
    });
    expect(cards[0]!.payload).toContain(formatDateTime(promised, 'zh-CN', 'Europe/London'));
    expect(formatDateTime(promised, 'zh-CN', 'Europe/London')).toContain('2026-11-25 10:00');
    // A new deadline is a date in the new owner's zone.
    expect(deadlineField(asForm(await click(SUP, 'extend')))?.hint).toContain(
      "王经理's time zone (Greenwich Mean Time)",
    );
  });
});
