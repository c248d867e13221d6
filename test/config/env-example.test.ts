// .env.example sourced exactly as the README and the file itself say (`set -a; . ./.env; set +a`), in a folder
// full of files a stray `*` would expand to: every variable arrives as written and the bot accepts them all.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('.env.example', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is safe to source with sh: no word splitting, no globbing, no command run', () => {
    dir = mkdtempSync(join(tmpdir(), 'dudao-env-'));
    copyFileSync(join(ROOT, '.env.example'), join(dir, '.env'));
    for (const f of ['a', 'b', 'data']) writeFileSync(join(dir, f), '');
    const sourced = spawnSync(
      'sh',
      [
        '-c',
        `set -a; . ./.env; set +a; exec "${process.execPath}" -e 'process.stdout.write(JSON.stringify(process.env))'`,
      ],
      { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' },
    );
    // A line the shell split would have run its second word as a command ("a: not found").
    expect(sourced.stderr).toBe('');
    const env = JSON.parse(sourced.stdout) as Record<string, string>;
    expect(env.PORT).toBe('3000');
    expect(env.DATABASE_URL).toBe('file:./data/dudao.db');
    expect(env.DUDAO_DEFAULT_TIMEZONE).toBe('Asia/Shanghai');
    const config = loadConfig(env);
    expect(config.reminderCron).toBe('*/5 * * * *');
    expect(config.slack).toBeUndefined();
  });

  it('keeps a quoted cron expression whole', () => {
    dir = mkdtempSync(join(tmpdir(), 'dudao-env-'));
    writeFileSync(join(dir, 'x'), '');
    writeFileSync(join(dir, '.env'), "DUDAO_REMINDER_CRON='0 9-18 * * 1-5'\n");
    const out = execFileSync('sh', ['-c', 'set -a; . ./.env; set +a; printf %s "$DUDAO_REMINDER_CRON"'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(loadConfig({ DUDAO_REMINDER_CRON: out }).reminderCron).toBe('0 9-18 * * 1-5');
  });
});
