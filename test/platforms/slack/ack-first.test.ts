// Work after an ack waits its turn: one waiting listener per turn of the event loop, in arrival order,
// with whatever else the loop has to do (reading and acking new requests) in between.
import { describe, expect, it } from 'vitest';
import { AckFirst } from '../../../src/platforms/slack/adapter.js';

describe('AckFirst', () => {
  it('lets one waiting listener go on per turn of the event loop, first come first served', async () => {
    const gate = new AckFirst();
    const order: string[] = [];
    const waiting = ['a', 'b', 'c'].map((name) => gate.turn().then(() => void order.push(name)));
    // Stands for I/O the loop polls between turns (a new request to read and ack).
    setImmediate(() => order.push('io'));
    await Promise.all(waiting);
    expect(order).toEqual(['a', 'io', 'b', 'c']);
  });

  it('lets a listener through at once on a quiet loop, and keeps working after it ran dry', async () => {
    const gate = new AckFirst();
    await gate.turn();
    await Promise.all([gate.turn(), gate.turn()]);
    await gate.turn();
  });
});
