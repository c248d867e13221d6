// Run as its own process by test/process-policy.test.ts: installs dudao's process policy, then lets a
// promise reject unawaited, shows it is still running, and throws out of the event loop.
import { createLogger } from '../../src/logging.js';
import { installProcessPolicy } from '../../src/process-policy.js';

installProcessPolicy(createLogger('info'));
void Promise.reject(new Error('a rejection nobody awaited'));
setTimeout(() => {
  process.stdout.write('still serving\n');
  setTimeout(() => {
    throw new Error('an exception out of the event loop');
  }, 10);
}, 100);
