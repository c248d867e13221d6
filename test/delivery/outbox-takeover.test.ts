// Claims name the process that made them, and that process keeps them with a heartbeat: when it stops beating
// (it died) its rows are taken over at once, not after their lease; a process restarted on the same machine
// releases the rows of its dead predecessor as it starts.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { OutboxInstance, processHome } from '../../src/delivery/outbox-instance.js';
import { STORE_BACKENDS } from '../support/db.js';
import { channelMessage, RecordingSender, silentLogger, useOutboxStore } from '../support/outbox.js';

describe.each(STORE_BACKENDS)('outbox takeover on %s', (kind) => {
  const store = useOutboxStore(kind);
  const { clock } = store;
  const beat = (id: string, at: Date) =>
    store.repos.outboxInstances.beat({ id, host: 'elsewhere', pid: 1, startedAt: at, heartbeatAt: at });
  const claimant = (id: string) => ({ id, staleBefore: new Date(clock.now().getTime() - 6_000) });

  it('leaves the rows of a process that beats until their lease ends, and takes those of one that stopped beating at once', async () => {
    const repo = store.repos.outbox;
    await repo.enqueue([1, 2].map(channelMessage), clock.now());
    await beat('a', clock.now());
    await beat('b', clock.now());
    const [first] = await repo.claimDue(clock.now(), 1, 60_000, ['slack'], claimant('a'));
    const [second] = await repo.claimDue(clock.now(), 1, 60_000, ['slack'], claimant('b'));
    expect([first!.message.text, second!.message.text]).toEqual(['m1', 'm2']);

    // Ten seconds later `a` still beats and `b` has not since the claim: only b's row is free, 50 s before its lease ends.
    clock.advance(10_000);
    await beat('a', clock.now());
    await beat('c', clock.now());
    const taken = await repo.claimDue(clock.now(), 10, 60_000, ['slack'], claimant('c'));
    expect(taken.map((t) => t.message.text)).toEqual(['m2']);
    // b's late writes are refused: the row is c's now.
    expect(await repo.markSent(second!.id, clock.now(), second!.lease)).toBe(false);
    expect(await repo.markSent(taken[0]!.id, clock.now(), taken[0]!.lease)).toBe(true);
    // a's row waits for its lease like any claim.
    clock.advance(51_000);
    await beat('c', clock.now());
    expect((await repo.claimDue(clock.now(), 10, 60_000, ['slack'], claimant('c'))).map((t) => t.message.text)).toEqual(
      ['m1'],
    );
  });

  it('a dispatcher whose own heartbeat is late claims nothing, so it cannot race the process taking its rows over', async () => {
    await store.repos.outbox.enqueue([channelMessage(1)], clock.now());
    const sender = new RecordingSender();
    let late = true;
    const d = store.dispatcher([sender], {
      instance: {
        claimant: (now) => ({ id: 'me', staleBefore: new Date(now.getTime() - 6_000) }),
        mayHold: () => !late,
      },
    });
    expect(await d.nudge()).toBe(0);
    late = false;
    expect(await d.nudge()).toBe(1);
    expect(sender.sent).toEqual(['m1']);
  });

  it('a process starting on the machine where its predecessor died releases that one’s rows at once, and no live or remote process’s', async () => {
    const gonePid = spawnSync(process.execPath, ['-e', '']).pid;
    const home = processHome();
    const at = clock.now();
    const repo = store.repos.outboxInstances;
    await repo.beat({ id: 'dead-here', host: home, pid: gonePid, startedAt: at, heartbeatAt: at });
    await repo.beat({ id: 'alive-here', host: home, pid: process.ppid, startedAt: at, heartbeatAt: at });
    await repo.beat({ id: 'remote', host: 'another-host/pid:[1]', pid: gonePid, startedAt: at, heartbeatAt: at });
    await store.repos.outbox.enqueue([channelMessage(1)], clock.now());
    const [held] = await store.repos.outbox.claimDue(clock.now(), 1, 60_000, ['slack'], {
      id: 'dead-here',
      staleBefore: new Date(at.getTime() - 6_000),
    });
    expect(held).toBeDefined();

    const instance = new OutboxInstance({ repo, clock, logger: silentLogger });
    await instance.start();
    try {
      expect((await repo.list()).map((r) => r.id).sort()).toEqual(['alive-here', instance.id, 'remote'].sort());
      // Its message goes out now, 60 s before the dead process's lease would have let it.
      const sender = new RecordingSender();
      expect(await store.dispatcher([sender], { instance }).nudge()).toBe(1);
      expect(sender.sent).toEqual(['m1']);
    } finally {
      await instance.stop();
    }
    expect((await repo.list()).map((r) => r.id)).not.toContain(instance.id);
  });
});
