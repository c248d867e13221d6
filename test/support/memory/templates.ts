// Checklist template versions in memory (src/store/template-repo.ts): versions 1, 2, … per key, never changed;
// the content stored as JSON text and read back as a fresh object each time.
import type { StoredTemplateVersion, TemplateRepo } from '../../../src/core/ports.js';
import type { TemplateVersion } from '../../../src/generated/sqlite/client.js';
import type { MemoryDb } from './db.js';

export class MemoryTemplateRepo implements TemplateRepo {
  constructor(private readonly db: MemoryDb) {}

  private stored({ id, templateId, version, content, createdAt }: TemplateVersion): StoredTemplateVersion {
    const key = this.db.checklistTemplate.one((t) => t.id === templateId)!.key;
    return { id, key, version, content: JSON.parse(content), createdAt };
  }
  /** The versions of `key`, newest first. */
  private versions(key: string) {
    const tpl = this.db.checklistTemplate.one((t) => t.key === key);
    return tpl ? this.db.templateVersion.findMany({ where: { templateId: tpl.id }, orderBy: { version: 'desc' } }) : [];
  }

  async latest(key: string) {
    const [v] = this.versions(key);
    return v ? this.stored(v) : null;
  }
  async latestId(key: string) {
    return this.versions(key)[0]?.id ?? null;
  }
  async byId(id: number) {
    const v = this.db.templateVersion.one((r) => r.id === id);
    return v && this.stored(v);
  }
  async byKeyVersion(key: string, version: number) {
    const v = this.versions(key).find((r) => r.version === version);
    return v ? this.stored(v) : null;
  }
  async listLatest() {
    const keys = this.db.checklistTemplate.findMany({ orderBy: { key: 'asc' } }).map((t) => t.key);
    return keys.flatMap((key) =>
      this.versions(key)
        .slice(0, 1)
        .map((v) => this.stored(v)),
    );
  }
  async addVersion(key: string, content: unknown, now: Date) {
    return this.db.atomically(() => {
      const tpl =
        this.db.checklistTemplate.one((t) => t.key === key) ?? this.db.checklistTemplate.add({ key, createdAt: now });
      const version = (this.versions(key)[0]?.version ?? 0) + 1;
      return this.stored(
        this.db.templateVersion.add({ templateId: tpl.id, version, content: JSON.stringify(content), createdAt: now }),
      );
    });
  }
}
