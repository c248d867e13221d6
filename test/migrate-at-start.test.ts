// Migrations at start: a new SQLite file gets every migration; a start on an up-to-date file applies none
// (and loads no schema engine for it) and finds its data as it was left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../src/store/database.js';
import { migrationsList } from '../src/store/schema-engine.js';

describe('migrations at start on SQLite', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies every migration to a new file, then none on the next start, keeping the data', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dudao-migrate-'));
    const url = `file:${join(dir, 'dudao.db')}`;
    const all = migrationsList('sqlite').migrationDirectories.map((d) => d.path);

    const first = await openMigratedDatabase(url);
    expect(first.applied).toEqual(all);
    await first.prisma.department.create({ data: { name: '门店A' } });
    await first.close();

    const again = await openMigratedDatabase(url);
    try {
      expect(again.applied).toEqual([]);
      expect((await again.prisma.department.findMany()).map((d) => d.name)).toEqual(['门店A']);
    } finally {
      await again.close();
    }
  });
});
