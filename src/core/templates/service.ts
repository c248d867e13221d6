import YAML from 'yaml';
import type { StoredTemplateVersion, TemplateRepo } from '../ports.js';
import { sameContent } from '../shared/canonical-json.js';
import { ValidationError } from '../shared/validation.js';
import { DEFAULT_TEMPLATE } from './default-template.js';
import { type ChecklistTemplate, parseTemplate } from './schema.js';

export type DocFormat = 'yaml' | 'json';

export function formatFromFilename(name: string): DocFormat {
  return /\.json$/i.test(name) ? 'json' : 'yaml';
}

/** The format of a file read in, by its content (a file's name may say otherwise): JSON opens with { or [. */
export function formatFromContent(text: string): DocFormat {
  return /^\uFEFF?\s*[{[]/.test(text) ? 'json' : 'yaml';
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

/** Parsed templates by the content object they came from; see TemplateService's cache of versions. */
const parsed = new WeakMap<object, ChecklistTemplate>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The validated template of a stored version. A version is immutable, so the result is kept for as long as
 * the stored object lives (TemplateService keeps recent versions) and frozen, since callers share it.
 */
export function templateOf(stored: StoredTemplateVersion): ChecklistTemplate {
  const content = stored.content;
  const key = content && typeof content === 'object' ? content : null;
  const hit = key ? parsed.get(key) : undefined;
  if (hit) return hit;
  const tpl = deepFreeze(parseTemplate(content));
  if (key) parsed.set(key, tpl);
  return tpl;
}

export function itemCount(tpl: ChecklistTemplate): number {
  return tpl.dimensions.reduce((n, d) => n + d.items.length, 0);
}

/** Versions kept in memory; a deployment has a handful, each a few kilobytes. */
const VERSION_CACHE_SIZE = 64;

export class TemplateService {
  /**
   * Template versions by id. A version never changes once stored (an import adds the next one), so a cached
   * version is never stale; what is new is found by asking the database which id is the latest (current()).
   */
  private readonly versions = new Map<number, StoredTemplateVersion>();

  constructor(
    private readonly repo: TemplateRepo,
    /**
     * Why the platforms could not show a template's form, by path (inspections/fit.ts, given by the
     * composition); an imported template must have none.
     */
    private readonly fit: (tpl: ChecklistTemplate) => string[] = () => [],
  ) {}

  private remember(stored: StoredTemplateVersion): StoredTemplateVersion {
    if (!this.versions.has(stored.id) && this.versions.size >= VERSION_CACHE_SIZE)
      this.versions.delete(this.versions.keys().next().value!);
    this.versions.set(stored.id, stored);
    return stored;
  }

  /**
   * Validates first; an invalid file throws ValidationError and stores nothing. Only the key `inspect` uses
   * is taken (a template under another key would be stored and never used), and only a template every
   * platform can show. A file equal to the newest version adds nothing: `unchanged` says so.
   */
  async import(text: string, format: DocFormat, now: Date): Promise<StoredTemplateVersion & { unchanged: boolean }> {
    const raw = parseDocument(text, format);
    const given = (raw as { key?: unknown } | null)?.key;
    // Said with the file's other problems, so that one run shows everything to fix.
    const keyProblems =
      typeof given === 'string' && given !== DEFAULT_TEMPLATE.key
        ? [`key: expected ${DEFAULT_TEMPLATE.key} (the checklist \`inspect\` uses), got ${given}`]
        : [];
    let tpl: ChecklistTemplate;
    try {
      tpl = parseTemplate(raw);
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError([...keyProblems, ...e.problems]);
      throw e;
    }
    const problems = [...keyProblems, ...this.fit(tpl)];
    if (problems.length) throw new ValidationError(problems);
    const last = await this.repo.latest(tpl.key);
    if (last && sameContent(last.content, tpl)) return { ...last, unchanged: true };
    return { ...(await this.repo.addVersion(tpl.key, tpl, now)), unchanged: false };
  }

  async export(key: string, version: number | undefined, format: DocFormat): Promise<string | null> {
    const stored = version === undefined ? await this.repo.latest(key) : await this.repo.byKeyVersion(key, version);
    if (!stored) return null;
    const tpl = templateOf(stored);
    return format === 'json' ? `${JSON.stringify(tpl, null, 2)}\n` : YAML.stringify(tpl);
  }

  async byId(id: number): Promise<StoredTemplateVersion | null> {
    const cached = this.versions.get(id);
    if (cached) return cached;
    const stored = await this.repo.byId(id);
    return stored ? this.remember(stored) : null;
  }

  list(): Promise<StoredTemplateVersion[]> {
    return this.repo.listLatest();
  }

  /** Installs the policy's default checklist on first start. */
  async ensureDefault(now: Date): Promise<void> {
    if (!(await this.repo.latest(DEFAULT_TEMPLATE.key)))
      await this.repo.addVersion(DEFAULT_TEMPLATE.key, DEFAULT_TEMPLATE, now);
  }

  /**
   * The template new inspections use: the newest version of the default key, else of any key. Asked of the
   * database every time (one indexed lookup of an id), so a version another process imported counts at once.
   */
  async current(): Promise<StoredTemplateVersion | null> {
    const id = await this.repo.latestId(DEFAULT_TEMPLATE.key);
    if (id !== null) {
      const stored = await this.byId(id);
      if (stored) return stored;
    }
    const any = (await this.repo.listLatest())[0];
    return any ? this.remember(any) : null;
  }
}
