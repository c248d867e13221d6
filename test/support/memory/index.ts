// The core's repositories in memory, for core tests: createRepos' shape (src/store/index.ts) on a MemoryDb
// whose tables the tests read like the database's. test/store/memory-contract.test.ts runs the same
// behaviours on these and on the Prisma repositories (SQLite, PostgreSQL), so that they cannot drift apart.
import type { CoreRepos } from '../../../src/core/create-core.js';
import type { DeliveryLog, MessageRefRepo, OutboxInstanceRepo, OutboxRepo } from '../../../src/core/ports.js';
import type { ReminderRepo } from '../../../src/core/rectification/types.js';
import type { Repos } from '../../../src/store/index.js';
import { MemoryFlowItems } from '../memory-flow-items.js';
import { MemoryCustomerLinkRepo } from './customer-links.js';
import { MemoryDb } from './db.js';
import { MemoryDeliveryLog } from './deliveries.js';
import { MemoryEvaluationSummaryRepo } from './evaluation-summaries.js';
import { MemoryEvaluationRepo } from './evaluations.js';
import { MemoryFindingRepo } from './findings.js';
import { MemoryInspectionRepo } from './inspections.js';
import { MemoryMessageRefRepo } from './message-refs.js';
import { MemoryOrgRepo } from './org.js';
import { MemoryOutboxRepo } from './outbox.js';
import { MemoryOutboxInstanceRepo } from './outbox-instances.js';
import { MemoryReminderRepo } from './reminders.js';
import { MemoryStatusRepo } from './status.js';
import { MemoryTemplateRepo } from './templates.js';

export { MemoryDb } from './db.js';

/** What both createRepos and memoryRepos give, by port: what a test that runs on either may use. */
export type PortRepos = Required<CoreRepos> & {
  outbox: OutboxRepo;
  outboxInstances: OutboxInstanceRepo;
  deliveries: DeliveryLog;
  messageRefs: MessageRefRepo;
  reminders: ReminderRepo;
};

/** The repositories that need nothing but the store, by createRepos' names. */
const ON_DB = {
  org: MemoryOrgRepo,
  templates: MemoryTemplateRepo,
  inspections: MemoryInspectionRepo,
  status: MemoryStatusRepo,
  outbox: MemoryOutboxRepo,
  outboxInstances: MemoryOutboxInstanceRepo,
  deliveries: MemoryDeliveryLog,
  messageRefs: MemoryMessageRefRepo,
  evaluations: MemoryEvaluationRepo,
  evaluationSummaries: MemoryEvaluationSummaryRepo,
  customerLinks: MemoryCustomerLinkRepo,
};
type OnDb = { [K in keyof typeof ON_DB]: InstanceType<(typeof ON_DB)[K]> };

/** The repositories on `db` (a fresh store by default). The flow items keep their own rows and outbox. */
export function memoryRepos(db = new MemoryDb()) {
  const onDb = Object.fromEntries(Object.entries(ON_DB).map(([name, Repo]) => [name, new Repo(db)])) as OnDb;
  const findings = new MemoryFindingRepo(db);
  const reminders = new MemoryReminderRepo(db, findings);
  // Every repository createRepos has (a missing one is a compile error here), each implementing its port.
  return { ...onDb, findings, reminders, flowItems: new MemoryFlowItems() } satisfies PortRepos &
    Record<keyof Repos, unknown>;
}
export type MemoryRepos = ReturnType<typeof memoryRepos>;
