// kill -9 while the outbox is sending (issue 17): the real bot process is killed in the middle of a burst,
// at the moment a Slack post it made has reached Slack but its answer has not come back, against fake
// platforms that answer every post 200 ms late. Every queued message must arrive exactly once: the one in
// flight is found in the channel's history instead of being posted again, and the dead process's claims are
// taken over at once, by the restarted process or by a live peer, instead of after their 60 s lease.
import { describe, expect, it } from 'vitest';
import { crashRun } from '../support/crash-scenario.js';
import { PG_URL } from '../support/db.js';

const MESSAGES = 20;

describe('kill -9 in the middle of a burst', () => {
  it('restarted alone on SQLite: every queued message arrives once, the last within 10 s of the restart', async () => {
    const r = await crashRun({ kind: 'sqlite', mode: 'restart', messages: MESSAGES, killAtSlackPost: 4 });
    expect(r.beforeDeath).toBeLessThan(MESSAGES);
    expect(r.delivered).toBe(MESSAGES);
    expect(r.duplicates).toBe(0);
    expect(r.afterRestartMs).toBeLessThan(10_000);
  }, 90_000);

  it.runIf(!!PG_URL)(
    'beside a live peer on PostgreSQL, with no restart: every queued message arrives once, the last within 15 s of the death (runs only when DUDAO_TEST_PG_URL is set)',
    async () => {
      const r = await crashRun({ kind: 'postgres', mode: 'peer', messages: MESSAGES, killAtSlackPost: 4 });
      expect(r.beforeDeath).toBeLessThan(MESSAGES);
      expect(r.delivered).toBe(MESSAGES);
      expect(r.duplicates).toBe(0);
      expect(r.afterDeathMs).toBeLessThan(15_000);
    },
    90_000,
  );
});
