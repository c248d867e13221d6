// The real bot (startDudao) on a fresh test database, logging to memory, with the org built: what both
// platform harnesses share. Each harness adds its fake platform's settings and its request helpers.
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/env.js';
import type { Member } from '../../src/core/ports.js';
import { createLogger } from '../../src/logging.js';
import { type Running, startDudao } from '../../src/main.js';
import { createRepos, type Repos } from '../../src/store/index.js';
import { FixedClock } from './clock.js';
import { createTestDatabase, type TestDbKind } from './db.js';
import { buildOrg, type PersonSpec, STANDARD_ORG } from './org.js';

export interface TestBotOptions {
  kind?: TestDbKind;
  people?: PersonSpec[];
  departments?: string[];
  clock?: FixedClock;
  /** Platform settings, then the test's own overrides. */
  env: Record<string, string>;
  /** Stops the fake platform when starting fails, or when the bot stops. */
  stopFake: () => Promise<void>;
}

export interface TestBot {
  dudao: Running;
  repos: Repos;
  people: Record<string, Member>;
  clock: FixedClock;
  /** Parsed JSON log lines written so far. */
  logs(): Array<Record<string, any>>;
  /** Stops the bot, the fake and drops the database (after `beforeStop`, e.g. waiting for idle). */
  stop(beforeStop?: () => Promise<void>): Promise<void>;
}

export async function startTestBot(o: TestBotOptions): Promise<TestBot> {
  const testDb = await createTestDatabase(o.kind ?? 'sqlite');
  // startDudao opens its own connection from the URL; the test's one only had to create and migrate it.
  await testDb.close();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const clock = o.clock ?? new FixedClock();
  let dudao: Running;
  try {
    dudao = await startDudao(loadConfig({ DATABASE_URL: testDb.url, LOG_LEVEL: 'info', ...o.env }), {
      port: 0,
      clock,
      logger: createLogger('info', sink),
    });
  } catch (e) {
    await o.stopFake();
    await testDb.destroy();
    throw e;
  }
  const repos = createRepos(dudao.db);
  const people = await buildOrg(repos, o.people ?? STANDARD_ORG, o.departments);
  return {
    dudao,
    repos,
    people,
    clock,
    logs: () =>
      lines.flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, any>];
        } catch {
          return [];
        }
      }),
    async stop(beforeStop) {
      await beforeStop?.();
      await dudao.stop();
      await o.stopFake();
      await testDb.destroy();
    },
  };
}
