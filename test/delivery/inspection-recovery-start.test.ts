// A final checklist submit is acked once the submission is saved; its details and messages are written after
// the ack. When the process dies in between, the next start writes them out and sends the summary and the card.
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/logging.js';
import { type Running, startDudao } from '../../src/main.js';
import { FixedClock } from '../support/clock.js';
import { FakeSlack } from '../support/fake-slack.js';
import { ackedOnly, type InspectionCore, startInspectionCore } from '../support/inspections.js';
import { TEST_SIGNING_SECRET } from '../support/slack-bot.js';
import { waitFor } from '../support/wait.js';

const SUP = { platform: 'slack' as const, userId: 'USUP' };
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('writes out and sends, at the next start, a checklist acked before the process died', async () => {
  const clock = new FixedClock(new Date('2026-11-23T02:00:00Z'));
  const env: InspectionCore = await startInspectionCore('sqlite', clock);
  cleanups.push(() => env.db.destroy());
  // The core's first stage only, as in a process that died right after the ack.
  expect((await ackedOnly(env.core, SUP, clock.now())).kind).toBe('done');
  await env.db.close();

  const fake = await FakeSlack.start();
  cleanups.push(() => fake.close());
  const dudao: Running = await startDudao(
    loadConfig({
      DATABASE_URL: env.db.url,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
    }),
    { port: 0, clock, logger: createLogger('silent') },
  );
  cleanups.push(() => dudao.stop());
  const posts = () => fake.callsTo('chat.postMessage');
  await waitFor(() => posts().length === 2, 'the summary and the finding card');
  const inspection = await dudao.db.prisma.inspection.findFirstOrThrow();
  expect(inspection.materializedAt).not.toBeNull();
  // The channel summary, and the manager's card in their direct message.
  expect(posts().map((p) => p.channel)).toEqual(['C-ops', 'DUMGR']);
  expect(await dudao.db.prisma.itemResult.count()).toBe(15);
  expect(await dudao.db.prisma.finding.count()).toBe(1);
});
