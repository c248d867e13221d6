import type { Database } from './database.js';
import { PrismaDeliveryLog } from './delivery-log.js';
import { PrismaInspectionRepo } from './inspection-repo.js';
import { PrismaOrgRepo } from './org-repo.js';
import { PrismaOutboxRepo } from './outbox-repo.js';
import { PrismaStatusRepo } from './status-repo.js';
import { PrismaTemplateRepo } from './template-repo.js';

export function createRepos(db: Database) {
  const p = db.prisma;
  return {
    org: new PrismaOrgRepo(p),
    templates: new PrismaTemplateRepo(p),
    inspections: new PrismaInspectionRepo(p),
    status: new PrismaStatusRepo(p),
    outbox: new PrismaOutboxRepo(p),
    deliveries: new PrismaDeliveryLog(p),
  };
}
export type Repos = ReturnType<typeof createRepos>;
