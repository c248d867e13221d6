// The core on a real store for the evaluation tests: a fresh database with the org built and the default
// evaluation configuration stored, and people acting in their direct chat with the bot (Slack, D1).
import { afterEach, beforeEach } from 'vitest';
import { createCore } from '../../src/core/create-core.js';
import type { DudaoCore } from '../../src/core/facade.js';
import type { ActorRef, Clock, Platform, ProfileLookup } from '../../src/core/ports.js';
import type { FormOutcome, FormView } from '../../src/core/views/types.js';
import { createRepos } from '../../src/store/index.js';
import type { FixedClock } from './clock.js';
import { createTestDatabase, type TestDbKind } from './db.js';
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

/** A fresh database with `people`, and the core on it (people's defaults: zh-CN, Asia/Shanghai) with the default evaluation configuration as of the clock's now. */
export async function startEvaluationCore(kind: TestDbKind, clock: Clock, o: EvaluationCoreOptions) {
  const db = await createTestDatabase(kind);
  const repos = createRepos(db);
  const people = await buildOrg(repos, o.people);
  const built = createCore(repos, {
    profiles: o.profiles ?? {},
    defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
  });
  await built.evaluations!.ensureDefaultConfig(clock.now());
  if (o.templates) await built.templates.ensureDefault(clock.now());
  return { db, repos, people, core: built.core };
}

export type EvaluationCore = Awaited<ReturnType<typeof startEvaluationCore>>;

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
  let env: EvaluationCore;
  beforeEach(async () => {
    clock.set(o.at ?? '2026-11-23T02:00:00Z');
    env = await startEvaluationCore(kind, clock, o);
    use(env);
  });
  afterEach(async () => env.db.destroy());
  return {
    ...evaluationActions(() => env.core, clock),
    participant: (name: string) =>
      env.db.prisma.evaluationParticipant.findFirstOrThrow({
        where: { memberId: env.people[name]!.id },
        orderBy: { id: 'desc' },
      }),
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
