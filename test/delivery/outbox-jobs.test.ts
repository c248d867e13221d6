// Outbox jobs (a file someone asked for): the row holds the request, the file is made at every attempt and
// uploaded with sendFile; a crash mid-send loses nothing, and a job given up tells its requester once.
import { describe, expect, it } from 'vitest';
import { EvaluationExportJob } from '../../src/core/evaluations/cycles/export-command.js';
import {
  DeliveryError,
  type MessageSender,
  type OutboxFile,
  type OutboxJob,
  type OutboxJobRunner,
  type OutboxTarget,
} from '../../src/core/ports.js';
import type { MessageView } from '../../src/core/views/types.js';
import { backoffMs } from '../../src/delivery/outbox-dispatcher.js';
import { useOutboxStore } from '../support/outbox.js';

class FileSender implements MessageSender {
  readonly platform = 'slack' as const;
  files: Array<{ target: OutboxTarget; filename: string; bytes: string; caption: string }> = [];
  texts: Array<{ target: OutboxTarget; text: string }> = [];
  constructor(public script: Array<DeliveryError | Error> = []) {}
  async send(target: OutboxTarget, message: MessageView) {
    this.texts.push({ target, text: message.text });
  }
  async sendFile(target: OutboxTarget, file: OutboxFile, message: MessageView) {
    const next = this.script.shift();
    if (next) throw next;
    this.files.push({ target, filename: file.filename, bytes: file.bytes.toString('utf8'), caption: message.text });
  }
}

class CountingRunner implements OutboxJobRunner {
  readonly kind = 'test.file';
  runs = 0;
  constructor(
    readonly maxAttempts?: number,
    private readonly fail?: DeliveryError,
  ) {}
  async run(job: OutboxJob): Promise<OutboxFile> {
    this.runs++;
    if (this.fail) throw this.fail;
    return {
      filename: `${job.params.name}.txt`,
      title: 'T',
      mimeType: 'text/plain',
      bytes: Buffer.from(`made ${this.runs}`),
    };
  }
  failed(job: OutboxJob): MessageView {
    return { text: `could not make ${job.params.name}`, blocks: [] };
  }
}

describe('outbox jobs', () => {
  const store = useOutboxStore();
  const { clock } = store;

  const enqueueJob = (kind = 'test.file') =>
    store.repos.outbox.enqueue(
      [
        {
          platform: 'slack',
          target: { kind: 'user', id: 'UHR' },
          message: { text: 'here it is', blocks: [] },
          job: { kind, params: { name: 'report' } },
          dedupeKey: 'job1',
        },
      ],
      clock.now(),
    );
  const dispatcher = (sender: MessageSender, runner: OutboxJobRunner) => store.dispatcher([sender], { jobs: [runner] });
  const rows = async () =>
    (await store.db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map((r) => ({
      key: r.dedupeKey,
      status: r.status,
      target: r.targetId,
    }));

  it('survives a process dying mid-send: the lease expires and a fresh dispatcher makes and sends the file once', async () => {
    await enqueueJob();
    // The process that acked took the row and died before it was sent.
    expect(await store.repos.outbox.claimDue(clock.now(), 10, 60_000, ['slack'])).toMatchObject([
      { job: { kind: 'test.file', params: { name: 'report' } }, message: { text: 'here it is' } },
    ]);
    const sender = new FileSender();
    const runner = new CountingRunner();
    const restarted = dispatcher(sender, runner);
    expect(await restarted.nudge()).toBe(0);
    clock.advance(60_001);
    expect(await restarted.nudge()).toBe(1);
    expect(sender.files).toEqual([
      { target: { kind: 'user', id: 'UHR' }, filename: 'report.txt', bytes: 'made 1', caption: 'here it is' },
    ]);
    clock.advance(3_600_000);
    expect(await restarted.nudge()).toBe(0);
    expect(runner.runs).toBe(1);
    expect(await rows()).toEqual([{ key: 'job1', status: 'sent', target: 'UHR' }]);
  });

  it('makes the file again at each attempt (the row never holds the bytes) and waits out a rate limit', async () => {
    await enqueueJob();
    const sender = new FileSender([new DeliveryError('ratelimited', true, 10_000), new DeliveryError('timeout', true)]);
    const runner = new CountingRunner();
    const d = dispatcher(sender, runner);
    await d.nudge();
    clock.advance(10_000);
    await d.nudge();
    clock.advance(backoffMs(1));
    expect(await d.nudge()).toBe(1);
    expect(runner.runs).toBe(3);
    expect(sender.files.map((f) => f.bytes)).toEqual(['made 3']);
    expect((await store.db.prisma.outboxMessage.findFirstOrThrow()).payload).not.toContain('made');
  });

  it('gives up after the runner’s maxAttempts and tells the requester once', async () => {
    await enqueueJob();
    const sender = new FileSender(Array.from({ length: 5 }, () => new DeliveryError('HTTP 503', true)));
    const d = dispatcher(sender, new CountingRunner(2));
    await d.nudge();
    clock.advance(backoffMs(1));
    await d.nudge();
    clock.advance(backoffMs(2));
    await d.nudge();
    expect(sender.files).toEqual([]);
    expect(sender.texts).toEqual([{ target: { kind: 'user', id: 'UHR' }, text: 'could not make report' }]);
    expect(await rows()).toEqual([
      { key: 'job1', status: 'failed', target: 'UHR' },
      { key: 'job1:failed', status: 'sent', target: 'UHR' },
    ]);
  });

  it('fails a job at once when its runner says it can never succeed, and one without a runner or a file-capable sender', async () => {
    await enqueueJob();
    const sender = new FileSender();
    await dispatcher(
      sender,
      new CountingRunner(undefined, new DeliveryError('cycle 9 no longer exists', false)),
    ).nudge();
    expect(sender.texts.map((t) => t.text)).toEqual(['could not make report']);

    await store.repos.outbox.enqueue(
      [
        {
          platform: 'slack',
          target: { kind: 'user', id: 'UHR' },
          message: { text: 'x', blocks: [] },
          job: { kind: 'other', params: {} },
          dedupeKey: 'job2',
        },
      ],
      clock.now(),
    );
    await dispatcher(sender, new CountingRunner()).nudge();
    const noFiles: MessageSender = { platform: 'slack', send: async () => undefined };
    await store.repos.outbox.enqueue(
      [
        {
          platform: 'slack',
          target: { kind: 'user', id: 'UHR' },
          message: { text: 'y', blocks: [] },
          job: { kind: 'test.file', params: { name: 'r' } },
          dedupeKey: 'job3',
        },
      ],
      clock.now(),
    );
    await dispatcher(noFiles, new CountingRunner()).nudge();
    const failed = await store.db.prisma.outboxMessage.findMany({
      where: { status: 'failed' },
      orderBy: { id: 'asc' },
    });
    expect(failed.map((r) => [r.dedupeKey, r.lastError])).toEqual([
      ['job1', 'cycle 9 no longer exists'],
      ['job2', 'no runner for outbox job other'],
      ['job3', 'slack cannot send files'],
    ]);
  });

  it('refuses an export whose requester may no longer export, or whose cycle is gone, for good', async () => {
    const job = {
      kind: 'eval.export',
      params: { cycleId: 9, cycleName: '2026-11', kind: 'monthly', format: 'xlsx', locale: 'zh-CN', requesterId: 1 },
    };
    const summaries = { summaryInput: async () => Promise.reject(new Error('not reached')) };
    const runner = (role: 'hr' | 'member' | null, cycle: boolean) =>
      new EvaluationExportJob({
        summaries,
        members: { memberById: async () => (role ? { role } : null) },
        cycles: { cycleById: async () => (cycle ? ({} as never) : null) },
      });
    await expect(runner('member', true).run(job)).rejects.toMatchObject({
      retryable: false,
      message: 'eval.export: member 1 may no longer export',
    });
    await expect(runner(null, true).run(job)).rejects.toMatchObject({ retryable: false });
    await expect(runner('hr', false).run(job)).rejects.toMatchObject({
      retryable: false,
      message: 'eval.export: cycle 9 no longer exists',
    });
    await expect(runner('hr', true).run({ ...job, params: { ...job.params, format: 'pdf' } })).rejects.toMatchObject({
      retryable: false,
    });
    expect(runner('hr', true).failed(job).text).toBe(
      '抱歉，您请求的 2026-11 导出文件（XLSX）多次尝试后仍未能发送。请稍后重新发送 `考核 导出 2026-11`。',
    );
  });
});
