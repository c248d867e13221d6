// Runs a whole inspection through the core with one failed item, for tests that need a finding; the core on a
// fresh store with the standard org and the default template, and the buttons and forms of a finding on it.
import { afterEach, beforeEach } from 'vitest';
import { createCore } from '../../src/core/create-core.js';
import type { DudaoCore } from '../../src/core/facade.js';
import type { ActorRef, Clock } from '../../src/core/ports.js';
import type { FormOutcome, FormView, Reply } from '../../src/core/views/types.js';
import { createRepos } from '../../src/store/index.js';
import type { FixedClock } from './clock.js';
import { createTestDatabase, type TestDbKind } from './db.js';
import { failFirst, passAll } from './forms.js';
import { buildOrg, STANDARD_ORG } from './org.js';

export const asForm = (r: Reply): FormView => {
  if (r.kind !== 'form') throw new Error(`expected a form, got ${JSON.stringify(r)}`);
  return r.form;
};

/** Text a person would read in a reply (every block). */
export const textOf = (r: Reply) =>
  r.kind === 'message'
    ? r.message.blocks
        .map((b) =>
          'text' in b
            ? b.text
            : b.kind === 'fields'
              ? b.fields.map((f) => `${f.label}: ${f.value}`).join('\n')
              : b.kind === 'actions'
                ? b.buttons.map((x) => `[${x.label}]`).join(' ')
                : '',
        )
        .join('\n') +
      '\n' +
      r.message.text
    : '';

export async function inspectWithFinding(
  core: DudaoCore,
  supervisor: ActorRef,
  dept: string,
  now: Date,
  finding: { desc: string; sev?: string; owner?: string } = { desc: 'Fire exit blocked' },
): Promise<void> {
  let form = asForm(await core.command({ actor: supervisor, text: `inspect ${dept}`, channelId: 'C-ops', now }));
  let first = true;
  for (;;) {
    const values = first ? failFirst(form, finding) : passAll(form);
    first = false;
    const out = await core.submitForm({
      actor: supervisor,
      formType: form.formType,
      formId: form.formId,
      page: form.page,
      values,
      now,
    });
    if (out.kind === 'next') form = out.form;
    else if (out.kind === 'done') return;
    else throw new Error(`inspection did not go through: ${JSON.stringify(out)}`);
  }
}

/** A fresh database with the standard org and the default inspection template (as of the clock's now), and the core on it (people's defaults: zh-CN, Asia/Shanghai). */
export async function startInspectionCore(kind: TestDbKind, clock: Clock) {
  const db = await createTestDatabase(kind);
  const repos = createRepos(db);
  const people = await buildOrg(repos, STANDARD_ORG);
  const built = createCore(repos, {
    profiles: {},
    defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
  });
  await built.templates.ensureDefault(clock.now());
  return { db, repos, people, core: built.core };
}

export type InspectionCore = Awaited<ReturnType<typeof startInspectionCore>>;
export type FindingCore = InspectionCore & { findingId: number };

/**
 * For a describe block on one finding: before each test the clock at Monday 23 November 2026, 10:00 in Shanghai,
 * a fresh core (startInspectionCore) and the finding `supervisor` raises inspecting 门店A, handed to `use`; the
 * database destroyed after. Gives the finding's buttons (`click`, finding.<step>, in D1), `step` (click, then
 * submit the form it opens with `values`) and `finding()`, its row.
 */
export function useFindingCore(
  kind: TestDbKind,
  clock: FixedClock,
  supervisor: ActorRef,
  use: (env: FindingCore) => void,
) {
  let env: FindingCore;
  beforeEach(async () => {
    clock.set('2026-11-23T02:00:00Z');
    const started = await startInspectionCore(kind, clock);
    await inspectWithFinding(started.core, supervisor, '门店A', clock.now());
    env = { ...started, findingId: (await started.db.prisma.finding.findFirstOrThrow()).id };
    use(env);
  });
  afterEach(async () => env.db.destroy());

  const click = (actor: ActorRef, step: string) =>
    env.core.action({
      actor,
      actionId: `finding.${step}`,
      value: String(env.findingId),
      channelId: 'D1',
      now: clock.now(),
    });
  async function step(actor: ActorRef, name: string, values: Record<string, string>): Promise<FormOutcome> {
    const form = asForm(await click(actor, name));
    return env.core.submitForm({
      actor,
      formType: form.formType,
      formId: form.formId,
      page: 0,
      values,
      now: clock.now(),
    });
  }
  const finding = () => env.db.prisma.finding.findUniqueOrThrow({ where: { id: env.findingId } });
  return { click, step, finding };
}
