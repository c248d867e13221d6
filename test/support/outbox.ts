// What the outbox dispatcher's tests share: a fresh SQLite store for each test with the clock set back, and
// dispatchers on it that log nowhere.
import { afterEach, beforeEach } from 'vitest';
import type { MessageSender, OutboxItem, OutboxTarget } from '../../src/core/ports.js';
import type { MessageView } from '../../src/core/views/types.js';
import { type DispatcherOptions, OutboxDispatcher } from '../../src/delivery/outbox-dispatcher.js';
import { createRepos, type Repos } from '../../src/store/index.js';
import { FixedClock } from './clock.js';
import { createTestDatabase, type TestDatabase, type TestDbKind } from './db.js';

export const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const START = '2026-11-23T02:00:00Z';

export interface OutboxStore {
  readonly db: TestDatabase;
  readonly repos: Repos;
  /** At 2026-11-23T02:00Z when each test starts. */
  readonly clock: FixedClock;
  /** A dispatcher on this store's outbox with these senders, the clock and no logging; `o` adds the rest. */
  dispatcher(senders: MessageSender[], o?: Partial<DispatcherOptions>): OutboxDispatcher;
}

/** In the enclosing describe: a fresh database (SQLite unless told) and its repos for each test (dropped after it), and the clock set back. */
export function useOutboxStore(kind: TestDbKind = 'sqlite'): OutboxStore {
  const clock = new FixedClock(new Date(START));
  let db: TestDatabase;
  let repos: Repos;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    repos = createRepos(db);
    clock.set(START);
  });
  afterEach(async () => db.destroy());
  return {
    get db() {
      return db;
    },
    get repos() {
      return repos;
    },
    clock,
    dispatcher: (senders, o = {}) =>
      new OutboxDispatcher({ repo: repos.outbox, senders, clock, logger: silentLogger, ...o }),
  };
}

/** Message `n` to channel C1: text m<n>, key k<n>. */
export const channelMessage = (n: number): OutboxItem => ({
  platform: 'slack',
  target: { kind: 'channel', id: 'C1' },
  message: { text: `m${n}`, blocks: [] },
  dedupeKey: `k${n}`,
});

/** Messages 0 to n-1 to channel C1 put in the store's outbox at the clock's now. */
export function enqueueMessages(store: OutboxStore, n: number) {
  return store.repos.outbox.enqueue(
    Array.from({ length: n }, (_, i) => channelMessage(i)),
    store.clock.now(),
  );
}

/** A Slack sender that records the text of every message it is given; `during(n)` runs inside the n-th send
 * (1-based), standing in for a slow call. */
export class RecordingSender implements MessageSender {
  readonly platform = 'slack' as const;
  sent: string[] = [];
  constructor(private readonly during: (n: number) => Promise<void> = async () => undefined) {}
  async send(_t: OutboxTarget, message: MessageView) {
    this.sent.push(message.text);
    await this.during(this.sent.length);
  }
}
