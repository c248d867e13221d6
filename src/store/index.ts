import { PrismaCustomerLinkRepo } from './customer-invite-repo.js';
import type { Database } from './database.js';
import { PrismaDeliveryLog } from './delivery-log.js';
import { PrismaEvaluationRepo } from './evaluation-repo.js';
import { PrismaEvaluationSummaryRepo } from './evaluation-summary-repo.js';
import { PrismaFindingRepo } from './finding-repo.js';
import { PrismaFlowItemRepo } from './flow-repo.js';
import { PrismaInspectionRepo } from './inspection-repo.js';
import { PrismaMessageRefRepo } from './message-ref-repo.js';
import { PrismaOrgRepo } from './org-repo.js';
import { PrismaOutboxInstanceRepo } from './outbox-instance-repo.js';
import { PrismaOutboxRepo } from './outbox-repo.js';
import { PrismaReminderRepo } from './reminder-repo.js';
import { PrismaStatusRepo } from './status-repo.js';
import { PrismaTemplateRepo } from './template-repo.js';

export function createRepos(db: Database) {
  const p = db.prisma;
  const findings = new PrismaFindingRepo(p);
  return {
    org: new PrismaOrgRepo(p),
    templates: new PrismaTemplateRepo(p),
    inspections: new PrismaInspectionRepo(p),
    status: new PrismaStatusRepo(p),
    outbox: new PrismaOutboxRepo(p),
    outboxInstances: new PrismaOutboxInstanceRepo(p),
    deliveries: new PrismaDeliveryLog(p),
    findings,
    flowItems: new PrismaFlowItemRepo(p),
    reminders: new PrismaReminderRepo(p, findings),
    messageRefs: new PrismaMessageRefRepo(p),
    evaluations: new PrismaEvaluationRepo(p),
    evaluationSummaries: new PrismaEvaluationSummaryRepo(p),
    customerLinks: new PrismaCustomerLinkRepo(p),
  };
}
export type Repos = ReturnType<typeof createRepos>;
