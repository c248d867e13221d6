// `dudao outbox list-failed` and `dudao outbox retry`: failed messages are kept with their reason and an
// operator can put them back in the queue.
import { describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../src/store/database.js';
import { createRepos } from '../../src/store/index.js';
import { cliHarness } from '../support/cli.js';

async function setup() {
  const { env, run } = cliHarness();
  // Three messages: two refused for good, one sent.
  const db = await openMigratedDatabase(env.DATABASE_URL);
  const repos = createRepos(db);
  const at = new Date('2026-11-23T02:00:00Z');
  await repos.outbox.enqueue(
    [1, 2, 3].map((n) => ({
      platform: 'slack' as const,
      target: { kind: 'channel' as const, id: `C${n}` },
      message: { text: `m${n}`, blocks: [] },
      dedupeKey: `k${n}`,
    })),
    at,
  );
  const [a, b, c] = await repos.outbox.claimDue(at, 10, 60_000, ['slack']);
  await repos.outbox.markFailed(a!.id, 'chat.postMessage: channel_not_found', a!.lease);
  await repos.outbox.markFailed(b!.id, 'chat.postMessage: not_in_channel', b!.lease);
  await repos.outbox.markSent(c!.id, at, c!.lease);
  await db.close();
  return { env, run, ids: [a!.id, b!.id, c!.id] as const };
}

describe('dudao outbox', () => {
  it('lists failed messages with their reason, and re-queues them by id', async () => {
    const { env, run, ids } = await setup();
    const list = await run('outbox', 'list-failed');
    expect(list.code).toBe(0);
    expect(list.out.split('\n')).toEqual([
      expect.stringMatching(/^ID +PLATFORM +TARGET +ATTEMPTS +QUEUED AT +REASON$/),
      expect.stringMatching(
        new RegExp(`^${ids[0]} +slack +channel:C1 +1 +2026-11-23T02:00:00.000Z +chat.postMessage: channel_not_found$`),
      ),
      expect.stringMatching(
        new RegExp(`^${ids[1]} +slack +channel:C2 +1 +2026-11-23T02:00:00.000Z +chat.postMessage: not_in_channel$`),
      ),
      '2 failed message(s)',
      '',
    ]);
    expect(JSON.parse((await run('outbox', 'list-failed', '--json')).out)).toEqual({
      total: 2,
      messages: [
        {
          id: ids[0],
          platform: 'slack',
          target: 'channel:C1',
          attempts: 1,
          queuedAt: '2026-11-23T02:00:00.000Z',
          reason: 'chat.postMessage: channel_not_found',
        },
        expect.objectContaining({ id: ids[1], reason: 'chat.postMessage: not_in_channel' }),
      ],
    });
    expect(await run('outbox', 'retry', String(ids[0]))).toMatchObject({
      code: 0,
      out: 're-queued 1 failed message(s)\n',
    });
    // The sent one and an unknown id are not failed messages: said so, exit 1.
    const partly = await run('outbox', 'retry', String(ids[1]), String(ids[2]), '999');
    expect(partly).toMatchObject({ code: 1, out: 're-queued 1 failed message(s)\n' });
    expect(partly.err).toContain('2 of the ids given are not failed messages');
    expect((await run('outbox', 'list-failed')).out).toBe('0 failed message(s)\n');
    const db = await openMigratedDatabase(env.DATABASE_URL);
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.attempts, r.leaseUntil])).toEqual([
      ['pending', 0, null],
      ['pending', 0, null],
      ['sent', 1, null],
    ]);
    expect(rows[0]!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    await db.close();
  });

  it('re-queues every failed message with --all, and refuses a malformed command with the usage', async () => {
    const { run } = await setup();
    expect(await run('outbox', 'retry', '--all')).toMatchObject({ code: 0, out: 're-queued 2 failed message(s)\n' });
    expect(await run('outbox', 'retry', '--all')).toMatchObject({ code: 0, out: 're-queued 0 failed message(s)\n' });
    for (const [args, err] of [
      [['outbox', 'retry'], 'dudao outbox retry needs message ids or --all: dudao outbox retry <id>... | --all'],
      [['outbox', 'retry', 'x1'], 'message ids are whole numbers such as 17, not x1'],
      [['outbox', 'retry', '--all', '3'], 'dudao outbox retry takes either --all or message ids, not both'],
      [
        ['outbox', 'list-failed', '3'],
        'dudao outbox list-failed takes no argument 3 (see `dudao outbox list-failed --help`)',
      ],
      [['outbox'], 'dudao outbox needs one of: list-failed or retry (see `dudao outbox --help`)'],
    ] as const) {
      expect(await run(...args)).toMatchObject({ code: 2, out: '', err: `${err}\n` });
    }
  });
});
