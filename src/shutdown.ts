// What SIGTERM (systemd, Docker, Kubernetes) and SIGINT (Ctrl-C) do to the real process: stop taking requests,
// let the outbox finish or release what it holds, close the database, log one line, exit 0, all within
// STOP_DEADLINE_MS, under the 10 s a supervisor commonly waits before it kills. Installed by src/main.ts only.
import type { Logger } from './logging.js';

/** A second short of the 10 s promised, so the line saying why is out before a supervisor's SIGKILL. */
export const STOP_DEADLINE_MS = 9_000;

interface Stoppable {
  stop(): Promise<void>;
}

export interface StopOptions {
  deadlineMs?: number;
  /** How to end the process; tests pass their own. */
  exit?: (code: number) => void;
}

/**
 * Handles both signals from now on; `started` hands over the running bot. A signal that arrives while the bot
 * is still starting stops it as soon as it has started. Later signals are ignored: Ctrl-C under `npm start`
 * reaches the bot twice (from the terminal and forwarded by npm), and the second must not cut the first short.
 */
export function stopOnSignals(logger: Logger, o: StopOptions = {}): { started(running: Stoppable): void } {
  const exit = o.exit ?? ((code: number) => process.exit(code));
  const deadlineMs = o.deadlineMs ?? STOP_DEADLINE_MS;
  let running: Stoppable | undefined;
  let signal: NodeJS.Signals | undefined;
  let since = 0;

  const stop = (bot: Stoppable) => {
    bot.stop().then(
      () => {
        logger.info({ signal, ms: Math.round(performance.now() - since) }, 'dudao stopped');
        exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e, signal }, 'dudao stopped with an error');
        exit(1);
      },
    );
  };
  const onSignal = (s: NodeJS.Signals) => {
    if (signal) return;
    signal = s;
    since = performance.now();
    setTimeout(() => {
      logger.error({ signal, deadlineMs }, 'dudao did not stop in time; exiting without finishing');
      exit(1);
    }, deadlineMs);
    if (running) stop(running);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    started(bot) {
      running = bot;
      if (signal) stop(bot);
    },
  };
}
