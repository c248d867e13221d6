import { expect, it } from 'vitest';
import { FollowUpQueue } from '../../../src/core/inspections/follow-ups.js';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

it('runs work left for after an answer once no request is being answered, once per key, one at a time', async () => {
  // Never forced by time here: only the answers decide.
  const q = new FollowUpQueue(3_600_000);
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const answer = q.answering(async () => {
    await gate;
    events.push('answered');
  });
  const first = q.run('a', async () => {
    events.push('a started');
    await turns(2);
    events.push('a done');
  });
  // The same key again (a recovery meeting the live queue): the same run, not a second one.
  const again = q.run('a', async () => void events.push('a twice'));
  const second = q.run('b', async () => void events.push('b'));
  await turns(10);
  expect(events).toEqual([]);
  release();
  await Promise.all([answer, first, again, second]);
  expect(events).toEqual(['answered', 'a started', 'a done', 'b']);
});

it('keeps running the jobs after one that failed, and gives its caller the error', async () => {
  const q = new FollowUpQueue();
  const failed = q.run('x', async () => {
    throw new Error('database gone');
  });
  const next = q.run('y', async () => undefined);
  await expect(failed).rejects.toThrow('database gone');
  await expect(next).resolves.toBeUndefined();
});
