import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeSetup, loadConfig } from '../../src/config/env.js';
import { DEFAULT_REMINDER_RULES } from '../../src/core/reminders/rules.js';
import { createLogger } from '../../src/logging.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration from the environment', () => {
  it('starts with nothing set: SQLite default, no platform, and says how to configure one', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: 'file:./data/dudao.db',
      admins: [],
      defaultLocale: 'zh-CN',
      defaultTimeZone: 'Asia/Shanghai',
    });
    expect(c.slack).toBeUndefined();
    expect(c.feishu).toBeUndefined();
    const text = describeSetup(c);
    expect(text).toContain('manifests/slack.yaml');
    expect(text).toContain('SLACK_SIGNING_SECRET');
    expect(text).toContain('manifests/feishu.md');
    expect(text).toContain('FEISHU_MODE=ws');
  });

  it('chooses Slack HTTP or Socket Mode and Feishu webhook or long connection', () => {
    const http = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DUDAO_ADMINS: ' U1, ou_2 ,' });
    expect(http.slack).toMatchObject({ mode: 'http', botToken: 'xoxb-1', signingSecret: 's' });
    expect(http.admins).toEqual(['U1', 'ou_2']);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.mode).toBe('socket');
    const ws = loadConfig({
      FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718',
      FEISHU_APP_SECRET: 'x',
      FEISHU_MODE: 'ws',
      FEISHU_DOMAIN: 'lark',
    });
    expect(ws.feishu).toMatchObject({ mode: 'ws', domain: 'lark' });
    const hook = loadConfig({
      FEISHU_APP_ID: 'cli_x',
      FEISHU_APP_SECRET: 'x',
      FEISHU_VERIFICATION_TOKEN: 'v',
      FEISHU_ENCRYPT_KEY: 'k',
      FEISHU_DOMAIN: 'http://127.0.0.1:4100',
    });
    expect(hook.feishu).toMatchObject({ mode: 'webhook', domain: 'http://127.0.0.1:4100', encryptKey: 'k' });
  });

  it('lists every missing or invalid variable with its purpose and the mode that needs it', () => {
    const e = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      SLACK_BOT_TOKEN: 'xoxb-1',
      FEISHU_APP_ID: 'cli_x',
      LOG_LEVEL: 'loud',
    });
    const text = e.problems.join('\n');
    expect(text).toMatch(/PORT: .*HTTP port/);
    expect(text).toMatch(/DATABASE_URL: must start with file: \(SQLite\) or postgres:\/\//);
    expect(text).toMatch(/LOG_LEVEL: .*one of fatal/);
    expect(text).toContain('SLACK_SIGNING_SECRET: is required for Slack in HTTP mode');
    expect(text).toContain('FEISHU_APP_SECRET: is required for Feishu');
    expect(text).toContain('FEISHU_VERIFICATION_TOKEN: is required for Feishu in webhook mode');
    expect(text).toContain('FEISHU_ENCRYPT_KEY: is required for Feishu in webhook mode');
    expect(e.problems).toHaveLength(7);
    const p = e;
    expect(p.message).toContain('.env.example');
  });

  it('rejects a bad time zone, locale, Feishu domain and app token', () => {
    const e = problemsOf({
      DUDAO_DEFAULT_TIMEZONE: 'Mars/Base',
      DUDAO_DEFAULT_LOCALE: 'fr',
      FEISHU_DOMAIN: 'nope',
      SLACK_APP_TOKEN: 'x',
    });
    const text = e.problems.join('\n');
    expect(text).toContain('DUDAO_DEFAULT_TIMEZONE: is not an IANA time zone');
    expect(text).toContain('DUDAO_DEFAULT_LOCALE');
    expect(text).toContain('FEISHU_DOMAIN: must be feishu, lark, or a base URL');
  });

  it('never prints secrets in errors or logs', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-very-secret-token',
      SLACK_SIGNING_SECRET: 'sign-secret-123',
      FEISHU_APP_ID: 'cli_x',
      FEISHU_APP_SECRET: 'app-secret-456',
    };
    const e = problemsOf(env);
    for (const secret of Object.values(env).slice(0, 4))
      if (secret !== 'cli_x') expect(e.message).not.toContain(secret);

    const config = loadConfig({
      ...env,
      FEISHU_VERIFICATION_TOKEN: 'vt-789',
      FEISHU_ENCRYPT_KEY: 'ek-000',
      DATABASE_URL: 'postgres://dudao:pw-111@db:5432/d',
    });
    let out = '';
    const sink = new Writable({
      write: (chunk, _enc, cb) => {
        out += String(chunk);
        cb();
      },
    });
    const log = createLogger('info', sink);
    log.info({ config }, 'starting');
    log.error({ err: { message: 'request failed: Authorization: Bearer xoxb-very-secret-token' } }, 'boom');
    log.info({ url: config.databaseUrl }, 'db');
    for (const secret of ['xoxb-very-secret-token', 'sign-secret-123', 'app-secret-456', 'vt-789', 'ek-000', 'pw-111'])
      expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(out).toContain('starting');
  });

  it('reads the reminder rules file, whose documented example is exactly the defaults, and refuses a bad one by path', () => {
    const example = join(import.meta.dirname, '..', '..', 'examples', 'reminder-rules.yaml');
    expect(loadConfig({ DUDAO_REMINDER_RULES: example }).reminderRules).toEqual(DEFAULT_REMINDER_RULES);
    expect(loadConfig({}).reminderCron).toBe('*/5 * * * *');
    expect(loadConfig({ DUDAO_REMINDER_CRON: 'off' }).reminderCron).toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'dudao-rules-'));
    const bad = join(dir, 'rules.json');
    writeFileSync(bad, JSON.stringify({ workingHours: { start: '9am' }, deadline: { before: [3, 0] } }));
    const e = problemsOf({ DUDAO_REMINDER_RULES: bad, DUDAO_REMINDER_CRON: 'every minute' });
    const text = e.problems.join('\n');
    expect(text).toContain('DUDAO_REMINDER_CRON: is not a cron expression');
    expect(text).toContain(`DUDAO_REMINDER_RULES: ${bad}: workingHours.start: expected HH:MM`);
    expect(text).toContain('deadline.before[1]: expected a positive integer');
    expect(problemsOf({ DUDAO_REMINDER_RULES: join(dir, 'missing.yaml') }).problems[0]).toContain('cannot read');
  });
});
