// TemplateService keeps template versions (immutable) in memory, but asks the database which version is
// the latest every time, so a version another process imported is used at once.
import { beforeEach, describe, expect, it } from 'vitest';
import type { TemplateRepo } from '../../../src/core/ports.js';
import { DEFAULT_TEMPLATE } from '../../../src/core/templates/default-template.js';
import { TemplateService, templateOf } from '../../../src/core/templates/service.js';
import { MemoryDb, memoryRepos } from '../../support/memory/index.js';

/** The repo with a count of its calls by method. */
function counting(repo: TemplateRepo): { repo: TemplateRepo; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const proxy = new Proxy(repo, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { repo: proxy, calls };
}

const renamed = (en: string) => JSON.stringify({ ...DEFAULT_TEMPLATE, name: { ...DEFAULT_TEMPLATE.name, en } });

describe('template versions in memory', () => {
  let db: MemoryDb;
  const now = new Date('2026-11-23T02:00:00Z');
  beforeEach(() => {
    db = new MemoryDb();
  });

  it('reads a version once, parses it once, and shares it frozen', async () => {
    const { repo, calls } = counting(memoryRepos(db).templates);
    const service = new TemplateService(repo);
    await service.ensureDefault(now);
    const first = (await service.current())!;
    const again = (await service.byId(first.id))!;
    expect(again).toBe(first);
    expect(templateOf(again)).toBe(templateOf(first));
    expect(Object.isFrozen(templateOf(first).dimensions[0]!.items[0])).toBe(true);
    for (let i = 0; i < 5; i++) await service.byId(first.id);
    expect(calls.byId ?? 0).toBeLessThanOrEqual(1);
    expect(await service.byId(999_999)).toBeNull();
  });

  it('uses a version another process imported at once', async () => {
    const here = new TemplateService(memoryRepos(db).templates);
    await here.ensureDefault(now);
    const v1 = (await here.current())!;
    expect(templateOf(v1).name.en).toBe(DEFAULT_TEMPLATE.name.en);
    // The CLI, in another process: its own service (no shared memory) on the same store.
    const cli = new TemplateService(memoryRepos(db).templates);
    await cli.import(renamed('Ops v2'), 'json', now);
    const v2 = (await here.current())!;
    expect(v2.version).toBe(2);
    expect(templateOf(v2).name.en).toBe('Ops v2');
    // The older version is still there, unchanged, for inspections that use it.
    expect(templateOf((await here.byId(v1.id))!).name.en).toBe(DEFAULT_TEMPLATE.name.en);
  });
});
