// The in-memory repositories (test/support/memory, which the core tests run on) against the Prisma ones: the
// same behaviours, the same answers, in memory, on SQLite, and on PostgreSQL when DUDAO_TEST_PG_URL is set. A
// fake that drifts from the store fails here, not silently in the core tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewCycle } from '../../src/core/evaluations/cycles/types.js';
import type { InspectionDraft } from '../../src/core/inspections/types.js';
import type { Member, OutboxItem } from '../../src/core/ports.js';
import type { TransitionInput } from '../../src/core/rectification/types.js';
import { createRepos } from '../../src/store/index.js';
import { createTestDatabase, STORE_BACKENDS } from '../support/db.js';
import { memoryRepos, type PortRepos } from '../support/memory/index.js';
import { buildOrg, STANDARD_ORG } from '../support/org.js';

const T0 = new Date('2026-11-23T02:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function open(kind: 'memory' | (typeof STORE_BACKENDS)[number]) {
  if (kind === 'memory') return { repos: memoryRepos() as PortRepos, close: async () => {} };
  const db = await createTestDatabase(kind);
  return { repos: createRepos(db) as PortRepos, close: () => db.destroy() };
}

/** A message to Sam on Slack; a card (with `refKey`) when given one. */
const msg = (dedupeKey: string, text = dedupeKey, card: Partial<OutboxItem> = {}): OutboxItem => ({
  platform: 'slack',
  target: { kind: 'user', id: 'USUP' },
  message: { text, blocks: [] },
  dedupeKey,
  ...card,
});

describe.each(['memory' as const, ...STORE_BACKENDS])('the store contract on %s', (kind) => {
  let repos: PortRepos;
  let close: () => Promise<void>;
  let people: Record<string, Member>;
  beforeEach(async () => {
    ({ repos, close } = await open(kind));
    people = await buildOrg(repos, STANDARD_ORG);
  });
  afterEach(() => close());

  /** A submitted inspection of 门店A (Sam, score 50) whose one failed item raised a finding for 王经理, and its card. */
  async function raiseFinding(draftId = 'draft-1') {
    const dept = (await repos.org.departmentByName('门店A'))!;
    const base = {
      id: draftId,
      templateVersionId: 7,
      departmentId: dept.id,
      supervisorId: people['Sam Supervisor']!.id,
    };
    const draft: InspectionDraft = {
      ...base,
      platform: 'slack',
      channelId: 'C1',
      createdAt: T0,
      answers: {},
      page: 0,
      status: 'open',
      inspectionId: null,
    };
    await repos.inspections.createDraft(draft);
    const saved = await repos.inspections.submit({
      draft,
      expectedPage: 0,
      answers: { a: 'fail' },
      submittedAt: T0,
      overallScore: 50,
    });
    if (saved.kind !== 'saved') throw new Error('not saved');
    const finding = {
      description: 'Fire exit blocked',
      impact: null,
      severity: 'high' as const,
      evidenceUrls: ['https://e.example/1'],
    };
    const item = {
      dimensionKey: 'safety',
      itemKey: 'exit',
      answer: 'fail',
      failed: true,
      note: null,
      evidenceUrl: null,
    };
    const input = {
      inspectionId: saved.inspectionId,
      departmentId: dept.id,
      supervisorId: base.supervisorId,
      submittedAt: T0,
      materializedAt: T0,
      dimensionScores: [{ dimensionKey: 'safety', score: 50 }],
      items: [{ ...item, finding: { ...finding, responsibleMemberId: people.王经理!.id } }],
    };
    const compose = (f: Array<{ id: number }>) => f.map((x) => msg(`new:${x.id}`, 'card', { refKey: `card:${x.id}` }));
    const done = await repos.inspections.materialize(input, compose);
    if (done.kind !== 'saved') throw new Error('not materialized');
    return { inspectionId: saved.inspectionId, findingId: done.findings[0]!.id, input, compose, dept };
  }

  it('outbox: a dedupe key is taken once; a claimed row is leased, and only the lease it was claimed with may mark it', async () => {
    await repos.outbox.enqueue([msg('a', 'first'), msg('b')], T0);
    await repos.outbox.enqueue([msg('a', 'again'), msg('c')], T0);
    expect(await repos.outbox.pendingCount()).toBe(3);
    const claimed = await repos.outbox.claimDue(T0, 10, 60_000, ['slack']);
    expect(claimed.map((c) => [c.dedupeKey, c.message.text, c.attempts])).toEqual([
      ['a', 'first', 1],
      ['b', 'b', 1],
      ['c', 'c', 1],
    ]);
    expect(await repos.outbox.claimDue(T0, 10, 60_000, ['slack'])).toEqual([]);
    const a = claimed[0]!;
    expect(await repos.outbox.markSent(a.id, T0, new Date(a.lease!.getTime() - 1))).toBe(false);
    expect(await repos.outbox.markSent(a.id, T0, a.lease)).toBe(true);
    expect(await repos.outbox.markSent(a.id, T0, a.lease)).toBe(false);
    const again = await repos.outbox.claimDue(later(2), 10, 60_000, ['slack']);
    expect(again.map((c) => [c.dedupeKey, c.attempts])).toEqual([
      ['b', 2],
      ['c', 2],
    ]);
    expect(await repos.outbox.markFailed(again[0]!.id, 'gone', again[0]!.lease)).toBe(true);
    expect(await repos.outbox.listFailed(10)).toMatchObject([{ dedupeKey: 'b', attempts: 2, lastError: 'gone' }]);
    expect(await repos.outbox.retryFailed(null, later(3))).toBe(1);
    expect(await repos.outbox.pendingCount()).toBe(2);
  });

  it('org: members by platform id and by department, a racing first contact answered with the winner, an import refused whole', async () => {
    expect((await repos.org.memberByPlatform('feishu', 'ou_mgr'))?.displayName).toBe('王经理');
    expect(await repos.org.memberByPlatform('slack', 'UNOBODY')).toBeNull();
    expect((await repos.org.listMembers({ limit: 2 })).map((m) => m.displayName)).toEqual([
      'Ada Admin',
      'Sam Supervisor',
    ]);
    const dept = (await repos.org.departmentByName('门店A'))!;
    expect(dept).toEqual({ id: dept.id, name: '门店A', parentId: null, managerId: people.王经理!.id });
    expect((await repos.org.listMembers({ departmentId: dept.id })).map((m) => m.displayName)).toEqual([
      '王经理',
      '李员工',
    ]);
    const raced = { displayName: 'Someone', slackUserId: 'USTAFF', role: 'member' as const, locale: 'en' as const };
    expect(await repos.org.createMember({ ...raced, timeZone: 'UTC' })).toEqual(people.李员工);
    const plan = { departments: [], members: [{ displayName: 'Xu', slackUserId: 'UXU', supervisor: 'Nobody' }] };
    await expect(repos.org.importOrg(plan)).rejects.toThrow('members[0].supervisor: no member named or with id Nobody');
    expect(await repos.org.memberByPlatform('slack', 'UXU')).toBeNull();
  });

  it('inspections: a page and a submit apply once, at the page seen; the details are written once', async () => {
    const draft = { id: 'd1', templateVersionId: 1, departmentId: 1, supervisorId: 1, platform: 'slack' as const };
    await repos.inspections.createDraft({ ...draft, channelId: 'C1', createdAt: T0 });
    expect(await repos.inspections.savePage('d1', 0, { a: '1' }, 1)).toBe(true);
    expect(await repos.inspections.savePage('d1', 0, { a: '2' }, 1)).toBe(false);
    expect(await repos.inspections.draft('d1')).toMatchObject({ answers: { a: '1' }, page: 1, status: 'open' });
    const { inspectionId, input, compose } = await raiseFinding();
    const stored = (await repos.inspections.draft('draft-1'))!;
    expect(stored).toMatchObject({ status: 'submitted', answers: { a: 'fail' }, inspectionId });
    expect(
      await repos.inspections.submit({ draft: stored, expectedPage: 0, answers: {}, submittedAt: T0, overallScore: 1 }),
    ).toEqual({
      kind: 'stale',
    });
    expect(await repos.inspections.materialize(input, compose)).toEqual({ kind: 'done' });
    expect(await repos.inspections.unmaterialized(later(1), 10)).toEqual([]);
  });

  it('findings: a step applies at its version only, with its history line, and its card supersedes the waiting one', async () => {
    const { findingId: id } = await raiseFinding();
    expect(await repos.findings.byId(id)).toMatchObject({
      status: 'open',
      version: 0,
      templateVersionId: 7,
      nextReminderAt: T0,
      evidenceUrls: ['https://e.example/1'],
      responsibleMemberId: people.王经理!.id,
      ownerId: null,
    });
    const owner = people.李员工!.id;
    const step = (expectedVersion: number): TransitionInput => ({
      id,
      expectedVersion,
      patch: { status: 'planned', ownerId: owner, deadline: later(60) },
      event: {
        actorId: owner,
        at: T0,
        action: 'plan',
        fromStatus: 'open',
        toStatus: 'planned',
        note: null,
        data: { x: 1 },
      },
      outbox: [msg(`plan:${expectedVersion}`, 'planned', { refKey: `card:${id}`, updateOnly: true })],
    });
    expect(await repos.findings.transition(step(0), T0)).toMatchObject({
      status: 'planned',
      version: 1,
      ownerId: owner,
    });
    expect(await repos.findings.transition(step(0), T0)).toBeNull();
    expect((await repos.findings.events(id)).map((e) => [e.action, e.toStatus, e.data])).toEqual([
      ['plan', 'planned', { x: 1 }],
    ]);
    const mine = await repos.findings.list({
      memberId: owner,
      statuses: ['planned'],
      deadlineBefore: later(61),
      limit: 5,
    });
    expect([mine.total, mine.rows.map((f) => f.id)]).toEqual([1, [id]]);
    // The first card was still waiting: the step's version replaces it and posts it (not an update only).
    const cards = await repos.outbox.claimDue(T0, 10, 60_000, ['slack']);
    expect(cards.map((c) => [c.dedupeKey, c.refKey, c.updateOnly])).toEqual([['plan:0', `card:${id}`, false]]);
  });

  it('reminders: an occurrence is claimed once and counted on its finding; due findings are read in pages by time and id', async () => {
    const first = await raiseFinding('draft-1');
    const second = await raiseFinding('draft-2');
    const claim = (key: string, dedupeKey: string) => ({
      occurrences: [
        { key, findingId: first.findingId, recipientId: 1, kind: 'plan_due', dueAt: T0, escalation: key === 'esc' },
      ],
      digest: msg(dedupeKey),
    });
    expect(await repos.reminders.claim(claim('k1', 'digest:1'), T0)).toBe(true);
    expect(await repos.reminders.claim(claim('k1', 'digest:2'), T0)).toBe(false);
    expect(await repos.reminders.claimMany!([claim('k1', 'digest:3'), claim('esc', 'digest:4')], T0)).toEqual([
      false,
      true,
    ]);
    expect(await repos.reminders.claimedKeys(['k1', 'esc', 'k9'])).toEqual(new Set(['k1', 'esc']));
    expect(await repos.findings.byId(first.findingId)).toMatchObject({ reminderCount: 1, escalationCount: 1 });
    const ids = [first.findingId, second.findingId];
    await repos.reminders.reschedule(ids.map((id) => ({ id, version: 0, nextReminderAt: later(5) })));
    await repos.reminders.reschedule([{ id: first.findingId, version: 9, nextReminderAt: later(99) }]);
    expect(await repos.reminders.dueFindings(later(4), 10)).toEqual([]);
    const page1 = await repos.reminders.dueFindings(later(5), 1);
    const page2 = await repos.reminders.dueFindings(later(5), 1, { nextReminderAt: later(5), id: page1[0]!.id });
    expect([...page1, ...page2].map((f) => f.id)).toEqual(ids);
  });

  it('evaluations: a cycle opens once per kind and name; a step on a stale version or a closed cycle is refused', async () => {
    const config = await repos.evaluations.addConfigVersion('k', { a: 1, b: 2 }, T0);
    expect(await repos.evaluations.addConfigVersion('k', { b: 2, a: 1 }, T0)).toMatchObject({
      id: config.id,
      version: 1,
    });
    const staff = people.李员工!;
    const cycle: NewCycle = {
      kind: 'monthly',
      name: '2026-11',
      periodStart: T0,
      periodEnd: later(60),
      deadline: later(120),
      configVersionId: config.id,
      openedById: staff.id,
      openedAt: T0,
      departmentIds: [],
    };
    const who = [
      { memberId: staff.id, departmentId: staff.departmentId, supervisorId: people.王经理!.id, customerFacing: false },
    ];
    const opened = await repos.evaluations.openCycle(
      cycle,
      who,
      (c, ps) => ps.map((p) => msg(`open:${c.id}:${p.id}`)),
      T0,
    );
    expect(opened).toMatchObject({ status: 'open', departmentIds: [] });
    expect(await repos.evaluations.openCycle(cycle, who, () => [], T0)).toBe('exists');
    const [p] = await repos.evaluations.participants(opened === 'exists' ? 0 : opened.id);
    expect(p).toMatchObject({ stage: 'self', version: 0, nextReminderAt: T0 });
    const answer = { raterKind: 'self' as const, raterKey: `m:${staff.id}`, raterMemberId: staff.id, raterLabel: null };
    const step = (expectedVersion: number) => ({
      participantId: p!.id,
      expectedVersion,
      patch: { stage: 'supervisor' as const, selfAt: T0 },
      outbox: [],
      submission: { ...answer, scores: { c0: 4 }, comments: {}, submittedAt: T0 },
    });
    expect(await repos.evaluations.transition(step(0), T0)).toMatchObject({ ok: true, participant: { version: 1 } });
    expect(await repos.evaluations.transition(step(0), T0)).toEqual({ ok: false, reason: 'stale' });
    expect(await repos.evaluations.transition(step(1), T0)).toEqual({ ok: false, reason: 'duplicate' });
    expect(await repos.evaluations.submissions(p!.id)).toMatchObject([{ scores: { c0: 4 }, raterKind: 'self' }]);
    expect(await repos.evaluations.pendingFor(people.王经理!.id)).toMatchObject({ asSupervisor: [{ id: p!.id }] });
    expect(await repos.evaluations.closeCycle(p!.cycleId, later(1))).toBe(true);
    expect(await repos.evaluations.closeCycle(p!.cycleId, later(1))).toBe(false);
    expect(await repos.evaluations.transition(step(1), T0)).toEqual({ ok: false, reason: 'closed' });
  });

  it('templates and status: versions 1, 2 of a key; the aggregates of a department', async () => {
    await repos.templates.addVersion('ops', { v: 'one' }, T0);
    const v2 = await repos.templates.addVersion('ops', { v: 'two' }, later(1));
    expect([v2.version, (await repos.templates.latest('ops'))?.content]).toEqual([2, { v: 'two' }]);
    expect((await repos.templates.byKeyVersion('ops', 1))?.content).toEqual({ v: 'one' });
    const { dept, findingId } = await raiseFinding();
    expect(await repos.status.departmentStatus(dept.id)).toEqual({
      inspections: 1,
      lastInspectionAt: T0,
      averageOverall: 50,
      dimensionAverages: [{ dimensionKey: 'safety', average: 50 }],
      openBySeverity: [{ severity: 'high', count: 1 }],
      oldestOpen: expect.objectContaining({ id: findingId, description: 'Fire exit blocked', status: 'open' }),
    });
    expect(await repos.status.findings({ departmentId: null, status: 'all', limit: 5 })).toMatchObject({ total: 1 });
  });
});
