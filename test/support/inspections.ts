// Runs a whole inspection through the core with one failed item, for tests that need a finding; the core on a
// fresh store (a database, or in memory) with the standard org and the default template, and the buttons and
// forms of a finding on it.
import { afterEach, beforeEach } from 'vitest';
import { type CoreRepos, createCore } from '../../src/core/create-core.js';
import type { DudaoCore, FormSubmitInput } from '../../src/core/facade.js';
import type { ActorRef, Clock } from '../../src/core/ports.js';
import type { FormOutcome, FormView, Reply } from '../../src/core/views/types.js';
import type { FixedClock } from './clock.js';
import type { TestDbKind } from './db.js';
import { failFirst, passAll } from './forms.js';
import { MemoryDb, memoryRepos } from './memory/index.js';
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

/**
 * Submits a form as a platform would: the answer, then the work the core leaves for after it (a checklist's
 * details, findings and messages), awaited before this resolves.
 */
/**
 * A checklist carried to its final answer through the core's first stage only: every page submitted and the
 * final submit answered, the work after the answer never run (as in a process that died right after the ack).
 */
export async function ackedOnly(
  core: DudaoCore,
  actor: ActorRef,
  now: Date,
): Promise<Extract<FormOutcome, { kind: 'done' }>> {
  const page0 = asForm(await core.command({ actor, text: 'inspect 门店A', channelId: 'C-ops', now }));
  const submit = (page: number, values: Record<string, string>) =>
    core.submitForm({ actor, formType: 'inspection', formId: page0.formId, page, values, now });
  const next = await submit(0, failFirst(page0, { desc: 'Fire exit blocked' }));
  if (next.kind !== 'next') throw new Error(`expected the next page, got ${next.kind}`);
  const done = await submit(1, passAll(next.form));
  if (done.kind !== 'done') throw new Error(`expected done, got ${done.kind}`);
  return done;
}

export async function submitAndSettle(core: DudaoCore, input: FormSubmitInput): Promise<FormOutcome> {
  const out = await core.submitForm(input);
  if (out.kind === 'done') await out.afterAnswer?.();
  return out;
}

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
    const out = await submitAndSettle(core, {
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

/** The standard org, the default inspection template (as of the clock's now) and the core on `repos` (people's defaults: zh-CN, Asia/Shanghai). */
export async function inspectionCoreOn<R extends CoreRepos>(repos: R, clock: Clock) {
  const people = await buildOrg(repos, STANDARD_ORG);
  const built = createCore(repos, {
    profiles: {},
    defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
  });
  await built.templates.ensureDefault(clock.now());
  return { repos, people, core: built.core, inspections: built.inspections };
}

/**
 * inspectionCoreOn a fresh database. The store and the test database are loaded here, on first use, so that
 * tests in memory do not load Prisma at all.
 */
export async function startInspectionCore(kind: TestDbKind, clock: Clock) {
  const [{ createTestDatabase }, { createRepos }] = await Promise.all([
    import('./db.js'),
    import('../../src/store/index.js'),
  ]);
  const db = await createTestDatabase(kind);
  return { db, ...(await inspectionCoreOn(createRepos(db), clock)) };
}

/** inspectionCoreOn a fresh in-memory store (test/support/memory); `db` holds its tables. */
export async function startMemoryInspectionCore(clock: Clock) {
  const db = new MemoryDb();
  return { db, ...(await inspectionCoreOn(memoryRepos(db), clock)) };
}

export type InspectionCore = Awaited<ReturnType<typeof startInspectionCore>>;
export type FindingCore = InspectionCore & { findingId: number };
export type MemoryInspectionCore = Awaited<ReturnType<typeof startMemoryInspectionCore>>;
export type MemoryFindingCore = MemoryInspectionCore & { findingId: number };

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
  const on = findingHooks(clock, supervisor, use, {
    start: () => startInspectionCore(kind, clock),
    firstFinding: async (env) => (await env.db.prisma.finding.findFirstOrThrow()).id,
    stop: (env) => env.db.destroy(),
  });
  const finding = () => on.env().db.prisma.finding.findUniqueOrThrow({ where: { id: on.env().findingId } });
  return { click: on.click, step: on.step, finding };
}

/** useFindingCore in memory (startMemoryInspectionCore): the same buttons and forms, and the finding's row. */
export function useMemoryFindingCore(clock: FixedClock, supervisor: ActorRef, use: (env: MemoryFindingCore) => void) {
  const on = findingHooks(clock, supervisor, use, {
    start: () => startMemoryInspectionCore(clock),
    firstFinding: async (env) => env.db.finding.findFirstOrThrow().id,
    stop: () => {},
  });
  const finding = async () => on.env().db.finding.findUniqueOrThrow({ where: { id: on.env().findingId } });
  return { click: on.click, step: on.step, finding };
}

/** The hooks of useFindingCore on any store: the core started, the finding raised, the store stopped after. */
function findingHooks<E extends { core: DudaoCore }>(
  clock: FixedClock,
  supervisor: ActorRef,
  use: (env: E & { findingId: number }) => void,
  store: { start(): Promise<E>; firstFinding(env: E): Promise<number>; stop(env: E): unknown },
) {
  let env: E & { findingId: number };
  beforeEach(async () => {
    clock.set('2026-11-23T02:00:00Z');
    const started = await store.start();
    await inspectWithFinding(started.core, supervisor, '门店A', clock.now());
    env = { ...started, findingId: await store.firstFinding(started) };
    use(env);
  });
  afterEach(async () => store.stop(env));

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
  return { click, step, env: () => env };
}
