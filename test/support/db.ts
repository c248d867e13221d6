// Fresh, migrated databases for tests: a temp SQLite file, or (when DUDAO_TEST_PG_URL is set) a new
// PostgreSQL database on that server, dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openMigratedDatabase } from '../../src/store/database.js';

export type TestDbKind = 'sqlite' | 'postgres';

export const PG_URL = process.env.DUDAO_TEST_PG_URL;

/** The backends store tests run on: SQLite always, PostgreSQL when a URL is given. */
export const STORE_BACKENDS: TestDbKind[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase extends Database {
  url: string;
  /** Migrations applied when the database was created. */
  applied: string[];
  destroy(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(kind: TestDbKind = 'sqlite'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dudao-test-'));
    const url = `file:${join(dir, 'test.db')}`;
    const db = await openMigratedDatabase(url);
    return Object.assign(db, {
      url,
      destroy: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  if (!PG_URL) throw new Error('DUDAO_TEST_PG_URL is not set');
  const name = `dudao_t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = await openMigratedDatabase(url);
  return Object.assign(db, {
    url,
    destroy: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  });
}

/** What any request could have written, counted: a refused request must leave every count as it was. */
export async function storeCounts(db: Database['prisma']) {
  return {
    members: await db.member.count(),
    departments: await db.department.count(),
    drafts: await db.inspectionDraft.count(),
    findings: await db.finding.count(),
    deliveries: await db.processedDelivery.count(),
    outbox: await db.outboxMessage.count(),
  };
}
