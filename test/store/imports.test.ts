// Imports are all or nothing, and a file equal to what is stored adds nothing: a refused org file leaves every
// table as it was, and re-importing an unchanged template or evaluation configuration adds no version.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION_CONFIG } from '../../src/core/evaluations/criteria.js';
import { parseOrgFile } from '../../src/core/org/import.js';
import { ValidationError } from '../../src/core/shared/validation.js';
import { DEFAULT_TEMPLATE } from '../../src/core/templates/default-template.js';
import { TemplateService } from '../../src/core/templates/service.js';
import { PrismaEvaluationRepo } from '../../src/store/evaluation-repo.js';
import { createRepos } from '../../src/store/index.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';

const now = new Date('2026-12-01T02:00:00Z');

const ORG = `
departments:
  - name: East
  - name: Shop A
    parent: East
members:
  - name: Ann
    slack: U0ANN
    department: Shop A
`;

describe.each(STORE_BACKENDS)('imports on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
  });
  afterEach(async () => db.destroy());

  const counts = async () => ({
    departments: await db.prisma.department.count(),
    members: await db.prisma.member.count(),
    parents: (await db.prisma.department.findMany({ orderBy: { name: 'asc' } })).map((d) => [d.name, d.parentId]),
  });

  it('writes nothing of an org file it refuses, and names every problem', async () => {
    const repos = createRepos(db);
    await repos.org.importOrg(parseOrgFile(ORG));
    const before = await counts();
    // East under Shop A, while Shop A is stored under East; and a supervisor nobody is.
    const loop = `
departments:
  - name: East
    parent: Shop A
  - name: Shop A
members:
  - name: Bob
    slack: U0BOB
    department: East
    supervisor: Nobody
`;
    const refused = await repos.org.importOrg(parseOrgFile(loop)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).problems).toEqual([
      'departments[0].parent: "East" → "Shop A" → "East" would be a loop with the departments already stored; a department cannot be inside itself',
      'members[0].supervisor: no member named or with id Nobody',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('adds no template version when the file equals the newest one', async () => {
    const templates = new TemplateService(createRepos(db).templates);
    await templates.ensureDefault(now);
    const same = await templates.import(JSON.stringify(DEFAULT_TEMPLATE), 'json', now);
    expect([same.version, same.unchanged]).toEqual([1, true]);
    const changed = { ...DEFAULT_TEMPLATE, name: { ...DEFAULT_TEMPLATE.name, en: 'Revised' } };
    const next = await templates.import(JSON.stringify(changed), 'json', now);
    expect([next.version, next.unchanged]).toEqual([2, false]);
    expect(await db.prisma.templateVersion.count()).toBe(2);
  });

  it('adds no evaluation configuration version when the content equals the newest one', async () => {
    const repo = new PrismaEvaluationRepo(db.prisma);
    const first = await repo.addConfigVersion(DEFAULT_EVALUATION_CONFIG.key, DEFAULT_EVALUATION_CONFIG, now);
    const reordered = Object.fromEntries(Object.entries(DEFAULT_EVALUATION_CONFIG).reverse());
    const again = await repo.addConfigVersion(DEFAULT_EVALUATION_CONFIG.key, reordered, now);
    expect([first.version, first.unchanged, again.version, again.unchanged]).toEqual([1, false, 1, true]);
    expect(await db.prisma.evaluationConfigVersion.count()).toBe(1);
  });
});
