// What the outbox dispatcher's tests share: a fresh SQLite store for each test with the clock set back, and
// dispatchers on it that log nowhere.
import { afterEach, beforeEach } from 'vitest';
import type { MessageSender } from '../../src/core/ports.js';
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
