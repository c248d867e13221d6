// The composition root: config, store, core, platforms, outbox and HTTP server are wired here only.
import { realpathSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type Config, ConfigError, describeSetup, loadConfig } from './config/env.js';
import { createCore } from './core/create-core.js';
import type { CustomerLinkService } from './core/evaluations/customer-link.js';
import type { CustomerLinkIssuer } from './core/evaluations/customer-link-issuer.js';
import { EvaluationExportJob } from './core/evaluations/cycles/export-command.js';
import type { RemindingFlow } from './core/flows/reminders.js';
import type { ActorRef, Clock, Locale, MessageSender, Platform, ProfileLookup } from './core/ports.js';
import { OutboxDispatcher } from './delivery/outbox-dispatcher.js';
import { OutboxInstance } from './delivery/outbox-instance.js';
import { ReminderScheduler } from './delivery/reminder-scheduler.js';
import { createCustomerEvalHandler } from './http/customer-eval.js';
import { createHttpServer, listen } from './http/server.js';
import { createLogger, type Logger } from './logging.js';
// Each platform's SDK is loaded only when that platform is configured (below): Bolt and the Lark SDK cost
// about 20 MB of memory each, which a bot serving one platform, or none yet, need not hold.
import type { FeishuAdapter } from './platforms/feishu/adapter.js';
import type { createFeishuClient } from './platforms/feishu/sender.js';
import type { SlackAdapter } from './platforms/slack/adapter.js';
import { installProcessPolicy } from './process-policy.js';
import { stopOnSignals } from './shutdown.js';
import { type Database, openMigratedDatabase } from './store/database.js';
import { createRepos, type Repos } from './store/index.js';

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Port to listen on; 0 picks a free one (tests). Defaults to config.port. */
  port?: number;
  /** Where the setup guidance for a bot with no platform goes, as plain lines; standard error by default. */
  guidance?: (text: string) => void;
}

export interface Running {
  config: Config;
  db: Database;
  server: Server;
  port: number;
  dispatcher: OutboxDispatcher;
  reminders: ReminderScheduler;
  /** Answers customer evaluation links (the form is served here). */
  customerLinks: CustomerLinkService;
  /** Makes customer evaluation links (as the chat command `eval link` does). */
  customerLinkIssuer: CustomerLinkIssuer;
  slack?: SlackAdapter;
  feishu?: FeishuAdapter;
  stop(): Promise<void>;
}

const DELIVERY_KEEP_MS = 24 * 3_600_000;
const NUDGE_COALESCE_MS = 20;

/** What every wiring step below shares. */
interface Basics {
  config: Config;
  clock: Clock;
  logger: Logger;
  repos: Repos;
}

type Built = ReturnType<typeof createCore>;

export async function startDudao(config: Config, opts: StartOptions = {}): Promise<Running> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? { now: () => new Date() };
  for (const w of config.warnings) logger.warn({}, w);

  const db = await openMigratedDatabase(config.databaseUrl);
  if (db.applied.length) logger.info({ applied: db.applied }, 'database migrated');
  const basics: Basics = { config, clock, logger, repos: createRepos(db) };

  const clients = await platformClients(config);
  // Checklists saved before their ack but never written out (the process died in between) are finished by the
  // outbox dispatcher: all at start, then on its timer (issue 10).
  const delivery = wireDelivery(basics, clients.senders, (now, atStart) => built.inspections.recover(now, atStart));
  // The core is made below, with this scheduler's calendar; a sweep runs only once both exist.
  const flows: RemindingFlow[] = [];
  const reminders = wireReminders(basics, delivery.nudger.afterChange, flows, (ids, now) =>
    built.rectification.redrawCards(ids, preferredPlatform(config), now),
  );
  const built = await wireCore(basics, clients.profiles, reminders);
  // The flows are declared by the core, made after the scheduler (it lends the core its calendar).
  flows.push(...built.flows);
  const { slack, feishu } = await wireAdapters(basics, built, clients.larkClient, delivery.nudger.afterChange);
  const customerLinks = built.customerLinks!;
  const server = wireHttpServer(basics, db, { slack, feishu, customerLinks });
  const port = await listen(server, opts.port ?? config.port).catch(async (e) => {
    await db.close();
    throw e;
  });

  await startAdapters({ slack, feishu }, server, db);
  await delivery.instance.start();
  delivery.dispatcher.start();
  reminders.start();
  void delivery.dispatcher.nudge();
  const purge = startDeliveryPurge(basics);

  logger.info(
    { port, database: db.kind, slack: config.slack?.mode ?? 'off', feishu: config.feishu?.mode ?? 'off' },
    'dudao is running',
  );
  if (!config.slack && !config.feishu) {
    logger.warn({}, 'no chat platform configured: dudao answers GET /healthz only (how to connect one: below)');
    (opts.guidance ?? ((text) => process.stderr.write(text)))(`${describeSetup(config, port)}\n`);
  }

  return {
    config,
    db,
    server,
    port,
    dispatcher: delivery.dispatcher,
    reminders,
    customerLinks,
    customerLinkIssuer: built.customerLinkIssuer!,
    slack,
    feishu,
    async stop() {
      clearInterval(purge);
      // Stop taking requests, let handlers already acked finish (they may queue messages), then stop the
      // sweeps and the outbox; whatever is still queued stays in the database for the next start.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await slack?.stop();
      await feishu?.stop();
      await reminders.stop();
      // A nudge still waiting is run now; dispatcher.stop() waits for that drain.
      delivery.nudger.flush();
      await delivery.dispatcher.stop();
      await delivery.instance.stop();
      server.closeAllConnections?.();
      await closed;
      await db.close();
    },
  };
}

function preferredPlatform(config: Config): Platform {
  return config.slack ? 'slack' : 'feishu';
}

/** The API clients of the configured platforms, with the profile lookups and senders made from them. */
async function platformClients(config: Config) {
  const profiles: Partial<Record<Platform, ProfileLookup>> = {};
  const senders: MessageSender[] = [];
  if (config.slack) {
    const { createSlackWebClient, SlackSender } = await import('./platforms/slack/sender.js');
    const { SlackProfiles } = await import('./platforms/slack/profile.js');
    const slackApi = createSlackWebClient(config.slack.botToken, config.slack.apiUrl);
    profiles.slack = new SlackProfiles(slackApi);
    senders.push(new SlackSender(slackApi));
  }
  let larkClient: ReturnType<typeof createFeishuClient> | undefined;
  if (config.feishu) {
    const { createFeishuClient, FeishuSender } = await import('./platforms/feishu/sender.js');
    const { FeishuProfiles } = await import('./platforms/feishu/profile.js');
    larkClient = createFeishuClient({
      appId: config.feishu.appId,
      appSecret: config.feishu.appSecret,
      domain: config.feishu.domain,
    });
    profiles.feishu = new FeishuProfiles(larkClient);
    senders.push(new FeishuSender(larkClient));
  }
  return { profiles, senders, larkClient };
}

/** The outbox: its dispatcher, this process's claim on rows, and the nudger requests use to wake it. */
function wireDelivery(
  { clock, logger, repos }: Basics,
  senders: MessageSender[],
  catchUp: (now: Date, atStart: boolean) => Promise<unknown>,
) {
  // `eval export` rows hold the request; the file is made when the row is sent.
  const jobs = [
    new EvaluationExportJob({
      summaries: repos.evaluationSummaries,
      cycles: repos.evaluations,
      members: repos.org,
      clock,
    }),
  ];
  // Claims carry this process's id and its heartbeat: a peer or a restart takes over at once if it dies.
  const instance = new OutboxInstance({
    repo: repos.outboxInstances,
    clock,
    logger,
    onPeerDead: () => void dispatcher.nudge(),
  });
  const dispatcher = new OutboxDispatcher({
    repo: repos.outbox,
    senders,
    clock,
    logger,
    refs: repos.messageRefs,
    jobs,
    instance,
    catchUp,
  });
  return { instance, dispatcher, nudger: coalescingNudger(dispatcher) };
}

// After a request that may have queued messages the outbox is nudged, but not once per request: nudges
// within NUDGE_COALESCE_MS of each other share one drain (one claim query), so under load the outbox is
// swept a few dozen times a second instead of after every request. The dispatcher's own timer still sweeps
// every few seconds for rows other processes queued and for retries.
function coalescingNudger(dispatcher: OutboxDispatcher) {
  let nudgeTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  const afterChange = () => {
    if (stopping || nudgeTimer) return;
    nudgeTimer = setTimeout(() => {
      nudgeTimer = undefined;
      void dispatcher.nudge();
    }, NUDGE_COALESCE_MS);
  };
  const flush = () => {
    stopping = true;
    if (!nudgeTimer) return;
    clearTimeout(nudgeTimer);
    nudgeTimer = undefined;
    void dispatcher.nudge();
  };
  return { afterChange, flush };
}

function wireReminders(
  { config, clock, logger, repos }: Basics,
  onQueued: () => void,
  flows: readonly RemindingFlow[],
  redrawCards: (ids: number[], now: Date) => Promise<void>,
): ReminderScheduler {
  const reminders = new ReminderScheduler({
    repo: repos.reminders,
    org: repos.org,
    rules: config.reminderRules,
    preferredPlatform: preferredPlatform(config),
    cron: config.reminderCron,
    clock,
    logger,
    onQueued,
    defaultTimeZone: config.defaultTimeZone,
    evaluations: repos.evaluations,
    redrawCards,
    flows,
  });
  const coverage = reminders.coverageWarning(clock.now());
  if (coverage) logger.warn({}, coverage);
  return reminders;
}

async function wireCore(
  { config, clock, repos }: Basics,
  profiles: Partial<Record<Platform, ProfileLookup>>,
  reminders: ReminderScheduler,
): Promise<Built> {
  const built = createCore(repos, {
    profiles,
    defaults: { locale: config.defaultLocale, timeZone: config.defaultTimeZone, admins: config.admins },
    rectification: {
      deadlineTime: config.reminderRules.workingHours.end,
      rules: config.reminderRules,
      remindNow: (now) => reminders.runNow(now),
      calendar: reminders.calendar,
    },
    publicUrl: config.publicUrl,
  });
  await built.templates.ensureDefault(clock.now());
  await built.evaluations?.ensureDefaultConfig(clock.now());
  return built;
}

async function wireAdapters(
  { config, clock, logger, repos }: Basics,
  built: Built,
  larkClient: ReturnType<typeof createFeishuClient> | undefined,
  afterChange: () => void,
): Promise<{ slack?: SlackAdapter; feishu?: FeishuAdapter }> {
  const localeOf = async (actor: ActorRef): Promise<Locale> =>
    (await repos.org.memberByPlatform(actor.platform, actor.userId))?.locale ?? config.defaultLocale;
  const shared = { core: built.core, deliveries: repos.deliveries, clock, logger, localeOf, afterChange };
  const slack = config.slack
    ? await (await import('./platforms/slack/adapter.js')).createSlackAdapter({
        config: config.slack,
        ...shared,
        outbox: repos.outbox,
      })
    : undefined;
  const feishu =
    config.feishu && larkClient
      ? (await import('./platforms/feishu/adapter.js')).createFeishuAdapter({
          config: config.feishu,
          client: larkClient,
          ...shared,
          outbox: repos.outbox,
        })
      : undefined;
  return { slack, feishu };
}

function wireHttpServer(
  { config, clock, logger, repos }: Basics,
  db: Database,
  parts: { slack?: SlackAdapter; feishu?: FeishuAdapter; customerLinks: CustomerLinkService },
): Server {
  return createHttpServer(
    {
      slack: parts.slack?.requestListener,
      feishu: parts.feishu?.webhook,
      customerEval: createCustomerEvalHandler({ links: parts.customerLinks, clock }),
      health: async () => {
        await db.prisma.department.count();
        return {
          ok: true,
          database: db.kind,
          slack: config.slack?.mode ?? 'off',
          feishu: config.feishu?.mode ?? 'off',
          outboxPending: await repos.outbox.pendingCount(),
          outboxFailed: await repos.outbox.failedCount(),
        };
      },
    },
    (e) => logger.error({ err: e }, 'http handler failed'),
  );
}

async function startAdapters(
  { slack, feishu }: { slack?: SlackAdapter; feishu?: FeishuAdapter },
  server: Server,
  db: Database,
): Promise<void> {
  try {
    await slack?.start();
    await feishu?.start();
  } catch (e) {
    // A platform refused to start (a revoked token, say): release the port and the database before saying so.
    await Promise.allSettled([slack?.stop(), feishu?.stop()]);
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
    throw e;
  }
}

function startDeliveryPurge({ clock, repos }: Basics): NodeJS.Timeout {
  const purge = setInterval(
    () => void repos.deliveries.purgeBefore(new Date(clock.now().getTime() - DELIVERY_KEEP_MS)).catch(() => undefined),
    3_600_000,
  );
  purge.unref();
  return purge;
}

async function main() {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  installProcessPolicy(logger);
  // A signal during the start (a supervisor giving up on it) still ends the process cleanly.
  const stopping = stopOnSignals(logger);
  let running: Running;
  try {
    running = await startDudao(config, { logger });
  } catch (e) {
    // The stack is for whoever debugs (LOG_LEVEL=debug); the operator gets one line to act on (the platform's
    // own words, e.g. invalid_auth, or the port to change), never a token.
    logger.debug({ err: e }, 'start failed');
    process.stderr.write(`dudao could not start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  stopping.started(running);
}

// Run as the program (`node dist/main.js`, `tsx src/main.ts`), not when imported by tests and benchmarks.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
