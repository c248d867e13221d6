import type { StoredTemplateVersion, TemplateRepo } from '../core/ports.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';

type Row = { id: number; version: number; content: string; createdAt: Date; template: { key: string } };
const toStored = (r: Row): StoredTemplateVersion => ({
  id: r.id,
  key: r.template.key,
  version: r.version,
  content: JSON.parse(r.content),
  createdAt: r.createdAt,
});

export class PrismaTemplateRepo implements TemplateRepo {
  constructor(private readonly db: Db) {}

  async latest(key: string) {
    const r = await this.db.templateVersion.findFirst({
      where: { template: { key } },
      orderBy: { version: 'desc' },
      include: { template: true },
    });
    return r ? toStored(r) : null;
  }
  async latestId(key: string) {
    // Asked on every status answer and inspection start (another process may have imported a version).
    const r = await this.db.templateVersion.findFirst({
      where: { template: { key } },
      orderBy: { version: 'desc' },
      select: { id: true },
    });
    return r?.id ?? null;
  }
  async byId(id: number) {
    const r = await this.db.templateVersion.findUnique({ where: { id }, include: { template: true } });
    return r ? toStored(r) : null;
  }
  async byKeyVersion(key: string, version: number) {
    const r = await this.db.templateVersion.findFirst({
      where: { template: { key }, version },
      include: { template: true },
    });
    return r ? toStored(r) : null;
  }
  async listLatest() {
    const templates = await this.db.checklistTemplate.findMany({
      orderBy: { key: 'asc' },
      include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
    });
    return templates.flatMap((tpl) => tpl.versions.map((v) => toStored({ ...v, template: tpl })));
  }
  async addVersion(key: string, content: unknown, now: Date): Promise<StoredTemplateVersion> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.$transaction(async (tx) => {
          const tpl = await tx.checklistTemplate.upsert({
            where: { key },
            create: { key, createdAt: now },
            update: {},
          });
          const last = await tx.templateVersion.findFirst({
            where: { templateId: tpl.id },
            orderBy: { version: 'desc' },
          });
          const row = await tx.templateVersion.create({
            data: {
              templateId: tpl.id,
              version: (last?.version ?? 0) + 1,
              content: JSON.stringify(content),
              createdAt: now,
            },
          });
          return toStored({ ...row, template: tpl });
        });
      } catch (e) {
        // Two imports at once picked the same version number; the unique index refused one: go again.
        if (!isUniqueViolation(e) || attempt >= 3) throw e;
      }
    }
  }
}
