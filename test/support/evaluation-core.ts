// The core for the evaluation tests, on a fresh database or in memory, with the org built and the default
// evaluation configuration stored, and people acting in their direct chat with the bot (Slack, D1).
import { afterEach, beforeEach } from 'vitest';
import { type CoreRepos, createCore } from '../../src/core/create-core.js';
import type { DudaoCore } from '../../src/core/facade.js';
import type { ActorRef, Clock, Member, Platform, ProfileLookup } from '../../src/core/ports.js';
import { type FormOutcome, type FormView, fieldsOf } from '../../src/core/views/types.js';
import type { FixedClock } from './clock.js';
import type { TestDbKind } from './db.js';
import { MemoryDb, memoryRepos } from './memory/index.js';
import { buildOrg, type PersonSpec } from './org.js';

/** The people of EVAL_ORG / EVAL_PEOPLE as they act on Slack. */
const onSlack = (userId: string): ActorRef => ({ platform: 'slack', userId });
export const SLACK_ACTORS = {
  HR: onSlack('UHR'),
  MGR: onSlack('UMGR'),
  STAFF: onSlack('USTAFF'),
  BOB: onSlack('UBOB'),
  ADMIN: onSlack('UADMIN'),
  SUP: onSlack('USUP'),
  CAROL: onSlack('UCAROL'),
};

export interface EvaluationCoreOptions {
  people: PersonSpec[];
  /** Platform profiles the core may read (people the bot never met); none by default. */
  profiles?: Partial<Record<Platform, ProfileLookup>>;
  /** Also store the default inspection template. */
  templates?: boolean;
}

/** `people` and the core on `repos` (people's defaults: zh-CN, Asia/Shanghai) with the default evaluation configuration as of the clock's now. */
export async function evaluationCoreOn<R extends CoreRepos>(repos: R, clock: Clock, o: EvaluationCoreOptions) {
  const people = await buildOrg(repos, o.people);
  const built = createCore(repos, {
    profiles: o.profiles ?? {},
    defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
  });
  await built.evaluations!.ensureDefaultConfig(clock.now());
  if (o.templates) await built.templates.ensureDefault(clock.now());
  return { repos, people, core: built.core };
}

/** evaluationCoreOn a fresh database (the store loaded on first use: tests in memory do not load Prisma). */
export async function startEvaluationCore(kind: TestDbKind, clock: Clock, o: EvaluationCoreOptions) {
  const [{ createTestDatabase }, { createRepos }] = await Promise.all([
    import('./db.js'),
    import('../../src/store/index.js'),
  ]);
  const db = await createTestDatabase(kind);
  return { db, ...(await evaluationCoreOn(createRepos(db), clock, o)) };
}

/** evaluationCoreOn a fresh in-memory store (test/support/memory); `db` holds its tables. */
export async function startMemoryEvaluationCore(clock: Clock, o: EvaluationCoreOptions) {
  const db = new MemoryDb();
  return { db, ...(await evaluationCoreOn(memoryRepos(db), clock, o)) };
}

export type EvaluationCore = Awaited<ReturnType<typeof startEvaluationCore>>;
export type MemoryEvaluationCore = Awaited<ReturnType<typeof startMemoryEvaluationCore>>;

/**
 * For a describe block: before each test the clock at `at` (default Monday 23 November 2026, 10:00 in Shanghai) and a
 * fresh core (startEvaluationCore) handed to `use`; its database destroyed after. Gives what people do there
 * (evaluationActions) and `participant(name)`, that person's latest participation.
 */
export function useEvaluationCore(
  kind: TestDbKind,
  clock: FixedClock,
  o: EvaluationCoreOptions & { at?: string },
  use: (env: EvaluationCore) => void,
) {
  return evaluationHooks(clock, o, use, {
    start: () => startEvaluationCore(kind, clock, o),
    latest: (env, query) => env.db.prisma.evaluationParticipant.findFirstOrThrow(query),
    stop: (env) => env.db.destroy(),
  });
}

/** useEvaluationCore in memory (startMemoryEvaluationCore). */
export function useMemoryEvaluationCore(
  clock: FixedClock,
  o: EvaluationCoreOptions & { at?: string },
  use: (env: MemoryEvaluationCore) => void,
) {
  return evaluationHooks(clock, o, use, {
    start: () => startMemoryEvaluationCore(clock, o),
    latest: async (env, query) => env.db.evaluationParticipant.findFirstOrThrow(query),
    stop: () => {},
  });
}

/** The query of a member's latest participation. */
type Latest = { where: { memberId: number }; orderBy: { id: 'desc' } };

/** useEvaluationCore on any store: `latest` reads a participation row from it. */
function evaluationHooks<E extends { core: DudaoCore; people: Record<string, Member> }, P>(
  clock: FixedClock,
  o: { at?: string },
  use: (env: E) => void,
  store: { start(): Promise<E>; latest(env: E, query: Latest): Promise<P>; stop(env: E): unknown },
) {
  let env: E;
  beforeEach(async () => {
    clock.set(o.at ?? '2026-11-23T02:00:00Z');
    env = await store.start();
    use(env);
  });
  afterEach(async () => store.stop(env));
  return {
    ...evaluationActions(() => env.core, clock),
    participant: (name: string) =>
      store.latest(env, { where: { memberId: env.people[name]!.id }, orderBy: { id: 'desc' } }),
  };
}

/** What people do in their direct chat with the bot (channel D1) at the clock's time, on the core `core` gives: commands, evaluation buttons (eval.<action>) and form submissions. */
export function evaluationActions(core: () => DudaoCore, clock: Clock) {
  return {
    cmd: (actor: ActorRef, text: string) => core().command({ actor, text, channelId: 'D1', now: clock.now() }),
    click: (actor: ActorRef, action: string, value: number | string) =>
      core().action({ actor, actionId: `eval.${action}`, value: String(value), channelId: 'D1', now: clock.now() }),
    submit: (actor: ActorRef, form: FormView, values: Record<string, string>): Promise<FormOutcome> =>
      core().submitForm({ actor, formType: form.formType, formId: form.formId, page: 0, values, now: clock.now() }),
  };
}

/** Every score field of a rating form at `score`. */
export const scoresAt = (form: FormView, score: string): Record<string, string> =>
  Object.fromEntries(
    fieldsOf(form)
      .filter((f) => f.id.endsWith('_score'))
      .map((f) => [f.id, score]),
  );
