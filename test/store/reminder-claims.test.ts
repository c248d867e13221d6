// The reminder sweep's claims on a real store (SQLite, and PostgreSQL when DUDAO_TEST_PG_URL is set): each
// reminder claimed once by sweeps racing in one process, by two bot processes that read the same due
// reminders, and after a process killed mid-sweep; due findings read in pages, each once; many people claimed in
// one transaction, dropping only what another sweep got first. These are the database's atomic claims and
// queries; the sweep itself is tested in memory (test/core/reminders/sweep*.test.ts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActorRef } from '../../src/core/ports.js';
import type { DueCursor, ReminderClaim } from '../../src/core/rectification/types.js';
import { createRepos, type Repos } from '../../src/store/index.js';
import { digestsOf, local, SH, sweeperFor, twoFindings } from '../core/reminders/fixtures.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';
import { inspectWithFinding } from '../support/inspections.js';

const TSX = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const CHILD = join(import.meta.dirname, '..', 'support', 'sweep-child.ts');
const SUP: ActorRef = { platform: 'slack', userId: 'USUP' };

describe.each(STORE_BACKENDS)('reminder claims on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repos;
  let people: Awaited<ReturnType<typeof twoFindings>>['people'];
  let core: Awaited<ReturnType<typeof twoFindings>>['core'];

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    repos = createRepos(db);
    // Two findings due on Wednesday 25 November: one for the store manager, one for a staff member.
    ({ people, core } = await twoFindings(repos, local('2026-11-23 10:00', SH)));
    await db.prisma.outboxMessage.deleteMany();
  });
  afterEach(async () => db.destroy());

  const digests = async () => digestsOf(await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } }));

  it('claims each reminder once when sweeps race in one process', async () => {
    const at = local('2026-11-25 09:05', SH);
    const results = await Promise.all([
      sweeperFor(repos).sweep(at),
      sweeperFor(repos).sweep(at),
      sweeperFor(repos).sweep(at),
    ]);
    expect(results.reduce((n, r) => n + r.reminders, 0)).toBe(2);
    expect((await digests()).map((d) => d.to).sort()).toEqual(['UMGR', 'USTAFF']);
    expect(await db.prisma.reminderLog.count()).toBe(2);
  });

  it('claims each reminder once when two bot processes, both having read the same due reminders, claim them at once', async () => {
    const at = local('2026-11-25 09:05', SH).toISOString();
    // Each process stops before its first claim; both are let go only when both have read what is due, so
    // their claims of the same reminders really overlap (not just their start times).
    const children = [0, 1].map(() => {
      const child = spawn(TSX, [CHILD, db.url, at, 'barrier'], { stdio: ['pipe', 'pipe', 'inherit'] });
      const lines: Array<Record<string, unknown>> = [];
      let buffered = '';
      let onLine = () => {};
      child.stdout.on('data', (c) => {
        buffered += String(c);
        for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
          lines.push(JSON.parse(buffered.slice(0, i)) as Record<string, unknown>);
          buffered = buffered.slice(i + 1);
          onLine();
        }
      });
      const atClaim = new Promise<Record<string, unknown>>((resolve) => {
        onLine = () => {
          const hit = lines.find((l) => l.at === 'claim');
          if (hit) resolve(hit);
        };
      });
      const done = new Promise<{ reminders: number }>((resolve, reject) =>
        child.on('exit', (code) =>
          code === 0
            ? resolve(lines.find((l) => 'reminders' in l) as { reminders: number })
            : reject(new Error(`sweep process exited ${code}`)),
        ),
      );
      return { child, atClaim, done };
    });
    const reached = await Promise.all(children.map((c) => c.atClaim));
    // Both saw the two due reminders before either claimed one.
    expect(reached.map((r) => r.due)).toEqual([2, 2]);
    for (const c of children) c.child.stdin.end('go\n');
    const results = await Promise.all(children.map((c) => c.done));
    expect(results.reduce((n, r) => n + r.reminders, 0)).toBe(2);
    expect((await digests()).map((d) => d.to).sort()).toEqual(['UMGR', 'USTAFF']);
    expect(await db.prisma.reminderLog.count()).toBe(2);
  });

  it('after the sweeping process is killed mid-sweep, a restarted one sends the rest and repeats nothing', async () => {
    const at = local('2026-11-25 09:05', SH).toISOString();
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(TSX, [CHILD, db.url, at, 'die-after-first-claim'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(9);
    expect(await digests()).toHaveLength(1);
    const restarted = await sweeperFor(repos).sweep(local('2026-11-25 09:20', SH));
    expect(restarted.reminders).toBe(1);
    expect((await digests()).map((d) => d.to).sort()).toEqual(['UMGR', 'USTAFF']);
    expect(await db.prisma.reminderLog.count()).toBe(2);
  });

  it('pages through due findings that share one check time, each once, in id order', async () => {
    const at = local('2026-11-25 09:05', SH);
    // Four findings, all due at the same instant.
    for (const desc of ['Fridge too warm', 'Floor wet'])
      await inspectWithFinding(core, SUP, '门店A', local('2026-11-23 10:00', SH), { desc });
    await db.prisma.finding.updateMany({ data: { nextReminderAt: local('2026-11-25 09:00', SH) } });
    const ids: number[] = [];
    let after: DueCursor | null = null;
    for (;;) {
      const page = await repos.reminders.dueFindings(at, 1, after);
      const last = page[page.length - 1];
      if (!last) break;
      ids.push(...page.map((f) => f.id));
      after = { nextReminderAt: last.nextReminderAt!, id: last.id };
    }
    const all = (await db.prisma.finding.findMany({ orderBy: { id: 'asc' }, select: { id: true } })).map((f) => f.id);
    expect(ids).toEqual(all);
  });

  it('claims many people at once, and drops only the digest whose reminder another sweep claimed first', async () => {
    const [f1, f2] = await db.prisma.finding.findMany({ orderBy: { id: 'asc' } });
    const now = local('2026-11-25 09:05', SH);
    const claim = (key: string, findingId: number, to: string, dedupeKey: string): ReminderClaim => ({
      occurrences: [{ key, findingId, recipientId: people[to]!.id, kind: 'plan_due', dueAt: now, escalation: false }],
      digest: {
        platform: 'slack',
        target: { kind: 'user', id: people[to]!.slackUserId! },
        message: { text: dedupeKey, blocks: [] },
        dedupeKey,
      },
    });
    expect(await repos.reminders.claim(claim('k-mgr', f1!.id, '王经理', 'digest:other-sweep'), now)).toBe(true);
    const ok = await repos.reminders.claimMany!(
      [claim('k-mgr', f1!.id, '王经理', 'digest:mgr'), claim('k-staff', f2!.id, '李员工', 'digest:staff')],
      now,
    );
    expect(ok).toEqual([false, true]);
    expect(
      (await db.prisma.reminderLog.findMany({ orderBy: { key: 'asc' } })).map((r) => [r.key, r.outboxKey]),
    ).toEqual([
      ['k-mgr', 'digest:other-sweep'],
      ['k-staff', 'digest:staff'],
    ]);
    expect((await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map((r) => r.dedupeKey)).toEqual([
      'digest:other-sweep',
      'digest:staff',
    ]);
    expect((await db.prisma.finding.findMany({ orderBy: { id: 'asc' }, take: 2 })).map((f) => f.reminderCount)).toEqual(
      [1, 1],
    );
  });
});
