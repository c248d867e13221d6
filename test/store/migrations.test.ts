import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrateThenDiff } from '../../src/store/schema-engine.js';
import { createTestDatabase, PG_URL } from '../support/db.js';

const names = (kind: 'sqlite' | 'postgres') =>
  readdirSync(MIGRATIONS_DIR(kind), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

describe('migrations', () => {
  it('keep the SQLite and PostgreSQL histories in step', () => {
    expect(names('sqlite').length).toBeGreaterThan(0);
    expect(names('postgres')).toEqual(names('sqlite'));
  });

  it('reproduce the models exactly on SQLite (no drift)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dudao-drift-')), 'd.db');
    const { applied, drift } = await migrateThenDiff('sqlite', new PrismaBetterSqlite3({ url: file }));
    expect(applied).toEqual(names('sqlite'));
    expect(drift).toBe('');
  });

  it.runIf(!!PG_URL)(
    'give PostgreSQL every table and column the client queries (runs only when DUDAO_TEST_PG_URL is set)',
    async () => {
      const db = await createTestDatabase('postgres');
      try {
        expect(db.applied).toEqual(names('postgres'));
        const p = db.prisma;
        // Each query names every column of its model, so a missing or renamed column fails here.
        await Promise.all([
          p.department.findMany(),
          p.member.findMany(),
          p.checklistTemplate.findMany(),
          p.templateVersion.findMany(),
          p.inspectionDraft.findMany(),
          p.inspection.findMany(),
          p.inspectionDimensionScore.findMany(),
          p.itemResult.findMany(),
          p.finding.findMany(),
          p.processedDelivery.findMany(),
          p.outboxMessage.findMany(),
        ]);
        const again = await (await import('../../src/store/database.js')).openMigratedDatabase(db.url);
        expect(again.applied).toEqual([]);
        await again.close();
      } finally {
        await db.destroy();
      }
    },
  );
});
