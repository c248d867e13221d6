// Sends what the outbox holds. A message leaves the outbox only when the platform accepted it: a 429
// pauses that platform until Retry-After (the rest of the batch waits too, instead of hammering it), other
// transient errors back off, and a crash mid-send leaves a lease that expires so another sweep (or process)
// sends it. A message is never given up for being unreachable for a while: rate limits wait without counting,
// and other transient errors (5xx, timeouts, network) and credential or configuration errors (a revoked or
// invalid token, a missing scope: an operator fixes them for the whole platform) back off, capped at 30 min,
// for as long as it takes. Only a genuine refusal of this message (an unknown channel, invalid blocks…) is
// kept as `failed` with the reason; `dudao outbox retry` puts failed rows back.
// Each row's lease is renewed just before it is sent, and every write after the claim is conditional on
// still holding that lease: a process whose lease ran out mid-batch (and was taken over) skips the row.
// Claims name the process (an OutboxInstance kept alive by a heartbeat): a row held by a process that stopped
// beating is taken over at once instead of after its lease. A post that may be out though its answer never
// came (the process died during it, or it timed out) is recorded before it starts, and a platform with no
// idempotency key of its own (Slack) is searched for the message before it is posted again; Feishu drops a
// repeat itself (the row's key as uuid).
// A row with a job (a file someone asked for) is made by its runner at send time and uploaded with the
// sender's sendFile, under the same rules; when it is given up, its requester is told so (the runner's
// `failed` message, queued as an ordinary row).
import type {
  ClaimedOutboxItem,
  Clock,
  MessageRefRepo,
  MessageSender,
  OutboxClaimant,
  OutboxJobRunner,
  OutboxRepo,
  Platform,
  SentRef,
} from '../core/ports.js';
import { DeliveryError } from '../core/ports.js';
import { RatePauses } from './rate-pauses.js';

export interface DispatcherLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DispatcherOptions {
  repo: OutboxRepo;
  senders: MessageSender[];
  /** Where posted cards live, for messages that update a card in place. */
  refs?: MessageRefRepo;
  clock: Clock;
  logger: DispatcherLogger;
  /** How long a claim (and each renewal, taken just before a row is sent) holds a row; longer than one send. */
  leaseMs?: number;
  batchSize?: number;
  /** Attempts before a job (OutboxItem.job) whose runner sets no limit is given up; plain messages have none. */
  maxAttempts?: number;
  intervalMs?: number;
  /** Runners of the outbox jobs (OutboxItem.job) by kind; a job with no runner is given up. */
  jobs?: OutboxJobRunner[];
  /** This process as claimant (see OutboxInstance); without it claims name no one and last their lease. */
  instance?: DispatcherInstance;
  /** Outbox-filling work caught up after a crash (a checklist acked, never written out): at start, every tick. */
  catchUp?: (now: Date, atStart: boolean) => Promise<unknown>;
}

export interface DispatcherInstance {
  claimant(now: Date): OutboxClaimant;
  /** False once this process's heartbeat is so late that a peer may take its rows over: it must stop sending them. */
  mayHold(): boolean;
}

/** Looks back this much before an attempt's start, for clocks that disagree with the platform's. */
const LOOKUP_MARGIN_MS = 60_000;

/** The row was taken over between its claim and its post. */
class LeaseLost extends Error {}

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 30 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}

export class OutboxDispatcher {
  private readonly senders: Map<Platform, MessageSender>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private catchingUp: Promise<void> | undefined;
  private readonly pauses = new RatePauses();
  /** Platform → wall time of its next allowed call (pacing). */
  private readonly nextCallAt = new Map<Platform, number>();

  private readonly jobs: Map<string, OutboxJobRunner>;
  /** Send failures known to have posted nothing (a refusal, a 429): the next attempt needs no lookup. */
  private readonly notPosted = new WeakSet<object>();
  /** Conversations where a lookup was refused (a scope not granted…), each logged once. */
  private readonly uncheckable = new Set<string>();

  constructor(private readonly o: DispatcherOptions) {
    this.senders = new Map(o.senders.map((s) => [s.platform, s]));
    this.jobs = new Map((o.jobs ?? []).map((j) => [j.kind, j]));
  }

  start(): void {
    this.catchUp(true);
    this.timer ??= setInterval(() => {
      this.catchUp(false);
      void this.nudge();
    }, this.o.intervalMs ?? 2_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.catchingUp;
    await this.running;
  }

  /** One run at a time, followed by a drain. */
  private catchUp(atStart: boolean): void {
    if (!this.o.catchUp || this.catchingUp) return;
    this.catchingUp = this.o
      .catchUp(this.o.clock.now(), atStart)
      .then(() => void this.nudge())
      .catch((e) => this.o.logger.error({ err: e }, 'outbox catch-up failed'))
      .finally(() => void (this.catchingUp = undefined));
  }

  /** Runs a drain now, or right after the one in progress; resolves when the queue has been swept. */
  nudge(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          total += await this.drain();
        } while (this.again);
      } catch (e) {
        this.o.logger.error({ err: e }, 'outbox drain failed');
      } finally {
        this.running = undefined;
      }
      return total;
    })();
    return this.running;
  }

  /**
   * Posts, or updates the card the message is a version of, and records where a new card was posted.
   * 'superseded' when a newer version of an already posted card is waiting and will do the update.
   */
  private async deliver(sender: MessageSender, item: ClaimedOutboxItem): Promise<'sent' | 'superseded'> {
    if (item.job) {
      const runner = this.jobs.get(item.job.kind);
      if (!runner) throw new DeliveryError(`no runner for outbox job ${item.job.kind}`, false);
      if (!sender.sendFile) throw new DeliveryError(`${item.platform} cannot send files`, false);
      // Made again on every attempt: the row holds the request, never the bytes.
      const file = await runner.run(item.job);
      await sender.sendFile(item.target, file, item.message, item.dedupeKey);
      return 'sent';
    }
    const refs = this.o.refs;
    if (!item.refKey || !refs) {
      if (!item.updateOnly) await this.post(sender, item);
      return 'sent';
    }
    const ref = await refs.get(item.refKey);
    if (ref && ref.platform === item.platform && sender.update) {
      if (await this.o.repo.hasNewerVersion(item.refKey, item.id)) return 'superseded';
      try {
        await sender.update(ref, item.message);
        return 'sent';
      } catch (e) {
        // A card that can no longer be edited (deleted, or past Feishu's 14 days) is posted anew below.
        if (!(e instanceof DeliveryError) || e.retryable || item.updateOnly) throw e;
        this.o.logger.warn({ outboxId: item.id, error: e.message }, 'card could not be updated; posting it again');
      }
    }
    if (item.updateOnly) return 'sent';
    const posted = await this.post(sender, item);
    if (posted) await refs.put(item.refKey, item.platform, posted, this.o.clock.now());
    return 'sent';
  }

  /**
   * Posts the row's message, unless an earlier attempt with no known outcome already did (looked for where
   * the sender can; where it cannot, posted again and logged once per conversation: at-least-once there).
   */
  private async post(sender: MessageSender, item: ClaimedOutboxItem): Promise<SentRef | void> {
    if (!sender.findSent) return sender.send(item.target, item.message, item.dedupeKey);
    if (item.attemptStartedAt) {
      const seen = await sender.findSent(
        item.target,
        item.dedupeKey,
        new Date(item.attemptStartedAt.getTime() - LOOKUP_MARGIN_MS),
      );
      if ('unchecked' in seen) {
        const where = `${item.platform}:${seen.channel}`;
        if (!this.uncheckable.has(where)) {
          this.uncheckable.add(where);
          this.o.logger.warn(
            { platform: item.platform, channel: seen.channel, reason: seen.unchecked },
            'cannot look for a message whose send had no known outcome, so it is sent again: delivery to this conversation is at-least-once',
          );
        }
      } else if (seen.found) {
        this.o.logger.info(
          { outboxId: item.id, platform: item.platform },
          'an earlier attempt had posted the message; not posting it again',
        );
        return seen.found;
      }
    } else {
      // Written before the call: if this process dies before hearing back, the next claimant looks first.
      if (!(await this.o.repo.markAttempt(item.id, this.o.clock.now(), item.lease))) throw new LeaseLost();
      item.attemptStartedAt = this.o.clock.now();
    }
    try {
      return await sender.send(item.target, item.message, item.dedupeKey);
    } catch (e) {
      if (e instanceof DeliveryError && !e.outcomeUnknown) this.notPosted.add(e);
      throw e;
    }
  }

  private async pace(sender: MessageSender): Promise<void> {
    if (!sender.minIntervalMs) return;
    const wait = (this.nextCallAt.get(sender.platform) ?? 0) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.nextCallAt.set(sender.platform, Date.now() + sender.minIntervalMs);
  }

  /** Sends every due message once; returns how many were delivered. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const now = this.o.clock.now();
      const platforms = this.pauses.open([...this.senders.keys()], now.getTime());
      if (platforms.length === 0) return sent;
      const leaseMs = this.o.leaseMs ?? 60_000;
      const instance = this.o.instance;
      if (instance && !instance.mayHold()) {
        this.o.logger.warn({}, 'heartbeat late; claiming nothing until it is written again');
        return sent;
      }
      const batch = await this.o.repo.claimDue(
        now,
        this.o.batchSize ?? 50,
        leaseMs,
        platforms,
        instance?.claimant(now),
      );
      if (batch.length === 0) return sent;
      for (const item of batch) {
        const sender = this.senders.get(item.platform)!;
        if (instance && !instance.mayHold()) {
          // Peers may already count this process as dead and take the row: leave it to them.
          await this.o.repo.release(item.id, this.o.clock.now(), 'left for a live process: heartbeat late', item.lease);
          continue;
        }
        const paused = this.pauses.pausedUntil(sender, item);
        if (paused > this.o.clock.now().getTime()) {
          await this.o.repo.release(
            item.id,
            new Date(paused),
            'waiting: the platform asked us to slow down',
            item.lease,
          );
          continue;
        }
        try {
          await this.pace(sender);
          // The batch's lease may be running out while earlier rows were sent: renew it for this row, or leave
          // the row to the process that took it over. With more than half of it left (a send times out in 10 s)
          // there is nothing to renew, which spares a write per message on the usual, quick batch.
          if (item.lease && item.lease.getTime() - this.o.clock.now().getTime() < leaseMs / 2) {
            const renewed = await this.o.repo.renewLease(item.id, item.lease, this.o.clock.now(), leaseMs);
            if (!renewed) {
              this.o.logger.warn(
                { outboxId: item.id, platform: item.platform },
                'lease lost before sending; another process has the message',
              );
              continue;
            }
            item.lease = renewed;
          }
          if ((await this.deliver(sender, item)) === 'superseded')
            await this.o.repo.markSuperseded(item.id, item.lease);
          else if (await this.o.repo.markSent(item.id, this.o.clock.now(), item.lease)) sent++;
          else
            this.o.logger.error(
              { outboxId: item.id, platform: item.platform },
              'message sent after its lease ran out; another process may send it too',
            );
        } catch (e) {
          if (e instanceof LeaseLost)
            this.o.logger.warn(
              { outboxId: item.id, platform: item.platform },
              'lease lost before sending; another process has the message',
            );
          else await this.failed(item, e);
        }
      }
    }
  }

  private async failed(item: ClaimedOutboxItem, e: unknown): Promise<void> {
    const err = e instanceof DeliveryError ? e : new DeliveryError(String((e as Error)?.message ?? e), true);
    const now = this.o.clock.now().getTime();
    const notPosted = this.notPosted.has(e as object);
    if (err.retryable && err.retryAfterMs !== undefined)
      return this.rateLimited(item, err, now, err.retryAfterMs, notPosted);
    // The bot's token or setup, not this message: retried like an outage until an operator fixes it.
    const authOrConfig = !err.retryable && err.setup;
    const permanent = !err.retryable && !authOrConfig;
    if (permanent && item.fallback) return this.redirectToFallback(item, item.fallback, err);
    // Plain messages are retried for as long as it takes; a job (a file someone waits for, and can ask for
    // again) is given up after its runner's limit, and its requester told.
    const runner = item.job ? this.jobs.get(item.job.kind) : undefined;
    const limit = item.job ? (runner?.maxAttempts ?? this.o.maxAttempts) : undefined;
    if (permanent || (limit !== undefined && item.attempts >= limit)) return this.giveUp(item, err, runner);
    const wait = backoffMs(item.attempts);
    await this.o.repo.markRetry(item.id, new Date(now + wait), err.message, item.lease, notPosted);
    if (authOrConfig)
      this.o.logger.error(
        { outboxId: item.id, platform: item.platform, retryInMs: wait, error: err.message },
        'the platform refused the bot’s credentials or setup; kept and retried until fixed',
      );
    else
      this.o.logger.warn(
        { outboxId: item.id, platform: item.platform, retryInMs: wait, error: err.message },
        'delivery will be retried',
      );
  }

  /** A 429: the row and its scope wait as long as the platform asked, without counting an attempt. */
  private async rateLimited(
    item: ClaimedOutboxItem,
    err: DeliveryError,
    now: number,
    retryAfterMs: number,
    notPosted: boolean,
  ) {
    const until = now + retryAfterMs;
    this.pauses.pause(this.senders.get(item.platform)!, item, until, now);
    await this.o.repo.release(item.id, new Date(until), `rate limited: ${err.message}`, item.lease, notPosted);
    this.o.logger.warn(
      { outboxId: item.id, platform: item.platform, retryInMs: retryAfterMs },
      'rate limited; the platform is paused until it allows more',
    );
  }

  /** The bot cannot post there (a private channel or a DM it is not in): the message goes to its fallback. */
  private async redirectToFallback(
    item: ClaimedOutboxItem,
    { target, lead }: NonNullable<ClaimedOutboxItem['fallback']>,
    err: DeliveryError,
  ) {
    await this.o.repo.redirect(
      item.id,
      target,
      {
        ...item.message,
        text: `${lead}\n${item.message.text}`,
        blocks: [{ kind: 'context', text: lead }, ...item.message.blocks],
      },
      this.o.clock.now(),
      item.lease,
    );
    this.o.logger.warn(
      { outboxId: item.id, platform: item.platform, error: err.message },
      'target refused; sending to the fallback instead',
    );
  }

  private async giveUp(item: ClaimedOutboxItem, err: DeliveryError, runner: OutboxJobRunner | undefined) {
    // The requester hears that their file will not come (queued first: a crash in between only repeats it,
    // and the dedupe key keeps it to one message).
    if (item.job && runner)
      await this.o.repo.enqueue(
        [
          {
            platform: item.platform,
            target: item.target,
            message: runner.failed(item.job),
            dedupeKey: `${item.dedupeKey}:failed`,
          },
        ],
        this.o.clock.now(),
      );
    if (!(await this.o.repo.markFailed(item.id, err.message, item.lease))) return;
    this.o.logger.error(
      { outboxId: item.id, platform: item.platform, error: err.message },
      'message could not be delivered',
    );
  }
}
