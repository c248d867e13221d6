// This process as a sender of the outbox: a random id that its claims carry, and a heartbeat row written every
// BEAT_MS. A peer that sees no beat for STALE_MS counts the process as dead and takes its rows over at once,
// instead of waiting out their 60 s lease; and a process that starts on the same machine releases at once the
// rows of its predecessors whose process is gone (a crash, kill -9, a container restarted in place), so a
// restart does not wait for their heartbeat to go stale either. A process whose own beat is late (a stalled
// event loop, an unreachable database) stops sending what it holds, since its peers may be taking it over.
import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Clock, OutboxClaimant, OutboxInstanceRepo, OutboxInstanceRow } from '../core/ports.js';
import type { DispatcherInstance, DispatcherLogger } from './outbox-dispatcher.js';

export const BEAT_MS = 2_000;
/** Three beats missed. A peer notices within one more beat, so a dead process's rows move within ~8 s. */
export const STALE_MS = 6_000;

export interface OutboxInstanceOptions {
  repo: OutboxInstanceRepo;
  clock: Clock;
  logger: DispatcherLogger;
  /** Called when a dead peer was found, so the dispatcher sweeps for its rows now. */
  onPeerDead?: () => void;
  beatMs?: number;
  staleMs?: number;
}

/**
 * Where a pid means one process: the host name and the PID namespace (two containers on one host share
 * neither, a restarted container gets a new namespace). Without /proc only the host name is known.
 */
export function processHome(): string {
  try {
    return `${hostname()}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return hostname();
  }
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export class OutboxInstance implements DispatcherInstance {
  readonly id = randomUUID();
  private readonly home = processHome();
  private readonly startedAt: Date;
  private timer: NodeJS.Timeout | undefined;
  /** Monotonic time of the last beat written (the injected clock may stand still in tests). */
  private lastBeat = -Infinity;
  private ticking: Promise<void> | undefined;

  constructor(private readonly o: OutboxInstanceOptions) {
    this.startedAt = o.clock.now();
  }

  private get staleMs() {
    return this.o.staleMs ?? STALE_MS;
  }
  private get beatMs() {
    return this.o.beatMs ?? BEAT_MS;
  }

  /** Writes the first beat and releases the rows of dead predecessors on this machine; then beats on a timer. */
  async start(): Promise<void> {
    await this.beat();
    const others = (await this.o.repo.list()).filter((r) => r.id !== this.id);
    // The same pid as this process (a container restarted in place) or no such process: it died.
    const dead = others
      .filter((r) => r.host === this.home && (r.pid === process.pid || processGone(r.pid)))
      .map((r) => r.id);
    if (dead.length) {
      await this.o.repo.remove(dead);
      this.o.logger.info({ instances: dead }, 'released the outbox rows of a process that died on this machine');
    }
    this.timer ??= setInterval(() => void this.tick(), this.beatMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    // Nothing is held after the dispatcher stopped; the row would only wait to be found stale.
    await this.o.repo.remove([this.id]).catch(() => undefined);
  }

  claimant(now: Date): OutboxClaimant {
    return { id: this.id, staleBefore: new Date(now.getTime() - this.staleMs) };
  }

  mayHold(): boolean {
    // One beat short of stale: a send that starts now still ends before a peer could count this process dead.
    return performance.now() - this.lastBeat < this.staleMs - this.beatMs;
  }

  private async beat(): Promise<void> {
    const row: OutboxInstanceRow = {
      id: this.id,
      host: this.home,
      pid: process.pid,
      startedAt: this.startedAt,
      heartbeatAt: this.o.clock.now(),
    };
    const began = performance.now();
    await this.o.repo.beat(row);
    this.lastBeat = began;
  }

  private tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        await this.beat();
        // Peers that stopped beating are forgotten (only if still stale when deleted): their rows are free.
        const staleBefore = new Date(this.o.clock.now().getTime() - this.staleMs);
        const stale = (await this.o.repo.list())
          .filter((r) => r.id !== this.id && r.heartbeatAt < staleBefore)
          .map((r) => r.id);
        if (stale.length && (await this.o.repo.remove(stale, staleBefore)) > 0) {
          this.o.logger.warn(
            { instances: stale },
            'a process sending the outbox stopped beating; taking over its messages',
          );
          this.o.onPeerDead?.();
        }
      } catch (e) {
        this.o.logger.warn({ err: e }, 'outbox heartbeat failed');
      } finally {
        this.ticking = undefined;
      }
    })();
    return this.ticking;
  }
}
