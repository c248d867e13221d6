// `npm start` as a new user runs it: a real process on a fresh SQLite file, no platform configured.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeFeishu } from './support/fake-feishu.js';
import { FakeSlack } from './support/fake-slack.js';
import { TEST_APP_ID } from './support/feishu-requests.js';
import { waitFor } from './support/wait.js';

const ROOT = join(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  let out = '';
  const child = spawn(TSX, ['src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

describe('starting the bot', () => {
  let dir: string;
  let proc: ReturnType<typeof start> | undefined;
  afterEach(async () => {
    if (proc && proc.child.exitCode === null) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates a new SQLite database, answers /healthz, says how to connect a platform, and stops cleanly', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dudao-start-'));
    proc = start({ DATABASE_URL: `file:${join(dir, 'data', 'dudao.db')}`, PORT: '0' });
    // The setup hint is logged right after the running line.
    await waitFor(
      () =>
        (/"port":\d+/.test(proc!.output()) && proc!.output().includes('manifests/feishu.md')) ||
        proc!.child.exitCode !== null,
      'the running line and the setup hint',
    );
    const port = Number(/"port":(\d+)/.exec(proc.output())?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'data', 'dudao.db'))).toBe(true);
    expect(proc.output()).toContain('database migrated');
    // Guidance as lines a person reads, in both languages, not a JSON string with \n escapes.
    expect(proc.output()).toMatch(/^To connect Slack: create the app from manifests\/slack\.yaml/m);
    expect(proc.output()).toMatch(/^接入飞书\/Lark：按 manifests\/feishu\.md 操作/m);
    expect(proc.output()).not.toContain('\\nTo connect');

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      database: 'sqlite',
      slack: 'off',
      feishu: 'off',
      outboxPending: 0,
      outboxFailed: 0,
    });
    const slack = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' });
    expect(slack.status).toBe(404);
    expect(((await slack.json()) as { error: string }).error).toContain('Slack is not configured');

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('exits with the reason Slack gave when it refuses the token, printing no secret', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dudao-start-'));
    const fake = await FakeSlack.start();
    try {
      fake.failNext('auth.test', { kind: 'error', error: 'invalid_auth' });
      proc = start({
        DATABASE_URL: `file:${join(dir, 'dudao.db')}`,
        PORT: '0',
        SLACK_BOT_TOKEN: 'xoxb-revoked-secret',
        SLACK_SIGNING_SECRET: 'sign-secret-value',
        SLACK_API_URL: fake.apiUrl,
      });
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toMatch(/dudao could not start: .*invalid_auth/);
      expect(proc.output()).not.toContain('xoxb-revoked-secret');
      expect(proc.output()).not.toContain('sign-secret-value');
    } finally {
      await fake.close();
    }
  });

  it('exits with the reason Feishu gave when it refuses the app secret, printing no secret', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dudao-start-'));
    const fake = await startFakeFeishu();
    try {
      fake.fail('token', { kind: 'code', code: 10014, msg: 'app secret invalid', status: 400 });
      proc = start({
        DATABASE_URL: `file:${join(dir, 'dudao.db')}`,
        PORT: '0',
        FEISHU_APP_ID: TEST_APP_ID,
        FEISHU_APP_SECRET: 'feishu-revoked-secret',
        FEISHU_DOMAIN: fake.url,
        FEISHU_MODE: 'ws',
      });
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toMatch(
        /dudao could not start: Feishu refused the app credentials: .*10014 app secret invalid/,
      );
      expect(proc.output()).not.toContain('feishu-revoked-secret');
    } finally {
      await fake.stop();
    }
  });

  it('names the port to change when it is already in use, in one line without a stack trace', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dudao-start-'));
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '0.0.0.0', r));
    const port = (taken.address() as AddressInfo).port;
    try {
      proc = start({ DATABASE_URL: `file:${join(dir, 'dudao.db')}`, PORT: String(port) });
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toContain(`dudao could not start: port ${port} is already in use`);
      expect(proc.output()).toContain('set PORT to a free port');
      expect(proc.output()).not.toMatch(/^\s+at /m);
      expect(proc.output()).not.toContain('EADDRINUSE');
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('refuses to start on a bad configuration and names every problem', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dudao-start-'));
    proc = start({ DATABASE_URL: 'mysql://nope', SLACK_BOT_TOKEN: 'xoxb-secret-value', PORT: '0' });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('DATABASE_URL: must start with file: (SQLite) or postgres://');
    expect(proc.output()).not.toContain('xoxb-secret-value');
  });
});
