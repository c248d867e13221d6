/** Under a steady stream of requests, a follow-up still starts at least this often. */
const MAX_DEFER_MS = 100;

/**
 * Work left for after an answer was sent (a checklist's details and messages), run one job at a time in this
 * process, after the answers: a job starts on a later turn of the event loop (the answer that queued it is out
 * first) and only when no request is being answered (`answering`), or once `maxDeferMs` (100 ms) have passed since the
 * last job started. So a burst of final submits is acked as fast as page submits and written out behind it,
 * instead of each ack waiting for the whole burst's writing.
 * A key already waiting or running is not queued twice (a recovery sweep meeting the live queue).
 */
export class FollowUpQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly pending = new Map<string, Promise<void>>();
  private inProgress = 0;
  private lastStart = 0;
  private readonly idle = new Set<() => void>();

  constructor(private readonly maxDeferMs = MAX_DEFER_MS) {}

  /** Answers a request; follow-ups wait while any answer is in progress. */
  async answering<T>(answer: () => Promise<T>): Promise<T> {
    this.inProgress++;
    try {
      return await answer();
    } finally {
      if (--this.inProgress === 0) for (const wake of this.idle) wake();
    }
  }

  /** Queues `job` under `key`; resolves (or rejects) when it has run. */
  run(key: string, job: () => Promise<void>): Promise<void> {
    const known = this.pending.get(key);
    if (known) return known;
    const p = this.tail
      .then(() => this.turn())
      .then(job)
      .finally(() => this.pending.delete(key));
    // One job's failure is its caller's to report; the jobs after it still run.
    this.tail = p.catch(() => undefined);
    this.pending.set(key, p);
    return p;
  }

  private async turn(): Promise<void> {
    for (;;) {
      await nextTurn();
      const wait = this.lastStart + this.maxDeferMs - performance.now();
      if (this.inProgress === 0 || wait <= 0) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.idle.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, wait);
        this.idle.add(wake);
      });
    }
    this.lastStart = performance.now();
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
