// The process-level policy, in real processes: an unhandled rejection is logged with its stack and the
// process keeps serving; an uncaught exception is logged and the process exits non-zero (for the supervisor
// to restart it). The real bot installs it: @slack/socket-mode rejects unawaited on an events_api envelope
// without a payload, and the bot goes on answering.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotProcess, spawnBot } from './support/bot-process.js';
import { FakeSlack, textOf } from './support/fake-slack.js';
import { envelopeOf, FakeSlackSocket } from './support/fake-slack-socket.js';
import { slashCommand } from './support/slack-requests.js';
import { waitFor } from './support/wait.js';

const ROOT = join(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

const jsonLines = (out: string) =>
  out.split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, any>];
    } catch {
      return [];
    }
  });

/** A script of its own under tsx, its output and its exit code. */
function run(script: string) {
  let out = '';
  const child = spawn(TSX, [script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c) => (out += String(c)));
  child.stderr.on('data', (c) => (out += String(c)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { exited, output: () => out, lines: () => jsonLines(out) };
}

describe('the process policy', () => {
  it('logs an unhandled rejection and keeps running; logs an uncaught exception and exits 1', async () => {
    const proc = run('test/support/process-policy-child.ts');
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('still serving');
    const rejection = proc.lines().find((l) => l.policy === 'keep serving');
    expect(rejection).toMatchObject({ level: 50, err: { message: 'a rejection nobody awaited' } });
    expect(rejection!.err.stack).toContain('process-policy-child.ts');
    const fatal = proc.lines().find((l) => l.policy === 'exit');
    expect(fatal).toMatchObject({ level: 60, err: { message: 'an exception out of the event loop' } });
    // The rejection came first, and the process went on to the exception.
    expect(proc.output().indexOf('still serving')).toBeGreaterThan(proc.output().indexOf('a rejection nobody awaited'));
  }, 30_000);

  describe('in the real bot', () => {
    let dir: string;
    let fake: FakeSlack | undefined;
    let socket: FakeSlackSocket | undefined;
    let bot: BotProcess | undefined;
    afterEach(async () => {
      await bot?.kill9();
      await socket?.close();
      await fake?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps answering after the Socket Mode client rejects on an envelope without a payload', async () => {
      dir = mkdtempSync(join(tmpdir(), 'dudao-policy-'));
      const appToken = 'xapp-1-A0DUDAO-1111-fakeapptoken';
      fake = await FakeSlack.start();
      socket = await FakeSlackSocket.start(fake, { appToken });
      bot = spawnBot({
        DATABASE_URL: `file:${join(dir, 'dudao.db')}`,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_APP_TOKEN: appToken,
        SLACK_API_URL: fake.apiUrl,
      });
      await bot.running();
      await socket.connected();
      socket.send({ envelope_id: 'env-null', type: 'events_api', payload: null, accepts_response_payload: false });
      await waitFor(
        () => jsonLines(bot!.output()).some((l) => l.policy === 'keep serving'),
        'the rejection to be logged',
      );
      const envelope = envelopeOf(
        slashCommand({ text: 'help', userId: 'UBOB', responseUrl: fake.responseUrl('after') }),
      );
      await socket.deliver(envelope);
      await fake.waitFor((c) => c.method === 'response');
      // A person not in the org reads the default locale (zh-CN).
      expect(textOf(fake.responses('after')[0]!.body)).toContain('督导机器人命令');
      expect(bot.child.exitCode).toBeNull();
      await bot.stop();
      expect(await bot.exited).toBe(0);
    }, 60_000);
  });
});
