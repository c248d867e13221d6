/**
 * Work that follows an ack waits its turn: one waiting listener goes on per turn of the event loop, so
 * requests that arrived meanwhile are read, verified and acked first. Without this, the database work of
 * the commands already acked (better-sqlite3 answers synchronously, so their promise chains never wait for
 * I/O) runs to the end before the next request is even read, and a burst of commands delays every ack.
 */
export class AckFirst {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves on a later turn of the event loop, in arrival order. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // An immediate queued while immediates run waits for the next turn, after pending I/O has been polled.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
