// What the process does with an error nothing caught, as Node services do: a rejected promise nobody
// awaited is one request's failure (an SDK's background work, a listener's tail), so it is logged with its
// stack and the process goes on serving every other team; an exception thrown out of the event loop leaves
// the process in a state nothing vouches for, so it is logged and the process exits non-zero for the
// supervisor (systemd, Docker, Kubernetes) to start a fresh one. Installed by the real process only
// (src/main.ts), never by tests that start the bot in their own process.
import type { Logger } from './logging.js';

export interface ProcessPolicyOptions {
  /** How to end the process; tests pass their own. */
  exit?: (code: number) => void;
}

/** Installs the handlers; returns a function that removes them. */
export function installProcessPolicy(logger: Logger, o: ProcessPolicyOptions = {}): () => void {
  const exit = o.exit ?? ((code: number) => process.exit(code));
  const onRejection = (reason: unknown) => {
    logger.error(
      { err: reason instanceof Error ? reason : { message: String(reason) }, policy: 'keep serving' },
      'a promise was rejected and nothing handled it; still serving',
    );
  };
  const onException = (err: Error, origin: string) => {
    // pino writes to stdout synchronously, so this line is out before the process ends.
    logger.fatal(
      { err, origin, policy: 'exit' },
      'an exception nothing caught; exiting for the supervisor to restart dudao',
    );
    exit(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
