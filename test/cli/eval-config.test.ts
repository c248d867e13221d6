import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { openMigratedDatabase } from '../../src/store/database.js';
import { cliHarness } from '../support/cli.js';

const example = () =>
  YAML.parse(readFileSync(new URL('../../examples/evaluation-config.yaml', import.meta.url), 'utf8'));

describe('dudao eval config', () => {
  it('imports an edited configuration as the next version, which export shows; the default stays version 1', async () => {
    const { dir, env, run } = cliHarness();
    await run('migrate');
    expect((await run('eval', 'config', 'list')).out).toMatch(
      /^KEY +VERSION +CREATED +CYCLES\nstaff-standard +v1 +\S+ +0\n$/,
    );
    const cfg = example();
    cfg.dimensions[0].weight = 70;
    cfg.dimensions[1].weight = 20;
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, YAML.stringify(cfg));
    const imported = await run('eval', 'config', 'import', file);
    expect(imported).toMatchObject({
      code: 0,
      out: 'imported evaluation configuration staff-standard as version 2; cycles opened from now on use it\n',
    });
    expect(
      YAML.parse((await run('eval', 'config', 'export')).out).dimensions.map((d: { weight: number }) => d.weight),
    ).toEqual([70, 20, 10]);
    expect(
      JSON.parse(
        (await run('eval', 'config', 'export', '--config-version', '1', '--format', 'json')).out,
      ).dimensions.map((d: { weight: number }) => d.weight),
    ).toEqual([60, 30, 10]);
    // The same content again, as JSON in a file named .yaml (the format is read from the content): no new version.
    const again = join(dir, 'again.yaml');
    writeFileSync(again, JSON.stringify(cfg));
    expect(await run('eval', 'config', 'import', again)).toMatchObject({
      code: 0,
      out: 'evaluation configuration staff-standard is unchanged: the file equals version 2\n',
    });
    const db = await openMigratedDatabase(env.DATABASE_URL);
    expect(await db.prisma.evaluationConfigVersion.count()).toBe(2);
    await db.close();
  });

  it('refuses a file with weights that do not add up, naming the path, and changes nothing', async () => {
    const { dir, run } = cliHarness();
    const cfg = example();
    cfg.dimensions[1].criteria[0].weight = 20;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(cfg));
    const r = await run('eval', 'config', 'import', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('invalid file, nothing was changed');
    expect(r.err).toContain('dimensions[1].criteria: weights add up to 95, expected 100');
    expect((await run('eval', 'config', 'list')).out.trim().split('\n')).toHaveLength(2);
  });

  it('refuses a configuration whose form would not fit one chat form, and one under another key', async () => {
    const { dir, run } = cliHarness();
    const cfg = example();
    // 20 criteria (the most a dimension takes) in each dimension: 3 × (1 + 2 × 20) + 1 = 124 elements.
    cfg.dimensions.forEach((d: { key: string; criteria: unknown[] }) => {
      d.criteria = Array.from({ length: 20 }, (_, i) => ({
        key: `${d.key}${i}`,
        weight: 5,
        raters: ['self', 'supervisor'],
        text: { 'zh-CN': `项${i}`, en: `Item ${i}` },
      }));
    });
    const big = join(dir, 'big.yaml');
    writeFileSync(big, YAML.stringify(cfg));
    const r = await run('eval', 'config', 'import', big);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /dimensions: the self form would need 124 elements .*at most 95 fit on one chat form: ask self raters fewer criteria/,
    );

    const other = { ...example(), key: 'sales-team' };
    const file = join(dir, 'other.yaml');
    writeFileSync(file, YAML.stringify(other));
    const o = await run('eval', 'config', 'import', file);
    expect(o.code).toBe(1);
    expect(o.err).toContain(
      'key: expected staff-standard (the configuration the bot opens cycles with), got sales-team',
    );
    expect((await run('eval', 'config', 'list')).out.trim().split('\n')).toHaveLength(2);
    expect((await run('eval', 'config', 'import', join(dir, 'missing.yaml'))).err).toBe(
      `file not found: ${join(dir, 'missing.yaml')}\n`,
    );
  });
});
