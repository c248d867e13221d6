import YAML from 'yaml';
import type { StoredTemplateVersion, TemplateRepo } from '../ports.js';
import { ValidationError } from '../shared/validation.js';
import { DEFAULT_TEMPLATE } from './default-template.js';
import { parseTemplate, type ChecklistTemplate } from './schema.js';

export type DocFormat = 'yaml' | 'json';

export function formatFromFilename(name: string): DocFormat {
  return /\.json$/i.test(name) ? 'json' : 'yaml';
}

/** Parses YAML or JSON text; syntax errors become a ValidationError naming line and column. */
export function parseDocument(text: string, format: DocFormat): unknown {
  try {
    if (format === 'json') return JSON.parse(text);
    const doc = YAML.parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) throw new ValidationError(doc.errors.map((e) => `(syntax): ${e.message}`));
    return doc.toJS();
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError([`(syntax): ${(e as Error).message}`]);
  }
}

export function templateOf(stored: StoredTemplateVersion): ChecklistTemplate {
  return parseTemplate(stored.content);
}

export function itemCount(tpl: ChecklistTemplate): number {
  return tpl.dimensions.reduce((n, d) => n + d.items.length, 0);
}

export class TemplateService {
  constructor(private readonly repo: TemplateRepo) {}

  /** Validates first; an invalid file throws ValidationError and stores nothing. */
  async import(text: string, format: DocFormat, now: Date): Promise<StoredTemplateVersion> {
    const tpl = parseTemplate(parseDocument(text, format));
    return this.repo.addVersion(tpl.key, tpl, now);
  }

  async export(key: string, version: number | undefined, format: DocFormat): Promise<string | null> {
    const stored = version === undefined ? await this.repo.latest(key) : await this.repo.byKeyVersion(key, version);
    if (!stored) return null;
    const tpl = templateOf(stored);
    return format === 'json' ? JSON.stringify(tpl, null, 2) + '\n' : YAML.stringify(tpl);
  }

  byId(id: number): Promise<StoredTemplateVersion | null> {
    return this.repo.byId(id);
  }

  list(): Promise<StoredTemplateVersion[]> {
    return this.repo.listLatest();
  }

  /** Installs the policy's default checklist on first start. */
  async ensureDefault(now: Date): Promise<void> {
    if (!(await this.repo.latest(DEFAULT_TEMPLATE.key))) await this.repo.addVersion(DEFAULT_TEMPLATE.key, DEFAULT_TEMPLATE, now);
  }

  /** The template new inspections use: the newest version of the default key, else of any key. */
  async current(): Promise<StoredTemplateVersion | null> {
    return (await this.repo.latest(DEFAULT_TEMPLATE.key)) ?? (await this.repo.listLatest())[0] ?? null;
  }
}
