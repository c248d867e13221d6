// Builds the checklist as paged forms and validates each page. Pages never split an item; each platform
// gives its own element budget (Slack: 100 blocks per modal; Feishu: a 30 KB card).

import type { MessageKey } from '../i18n/messages.js';
import { pick, t } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import type { ChecklistTemplate, TemplateItem } from '../templates/schema.js';
import { lit } from '../views/text.js';
import type { FieldErrors, FormElement, FormField, FormView, SelectOption } from '../views/types.js';
import { isFailed } from './scoring.js';
import { type ItemOutcome, SEVERITIES, type Severity } from './types.js';

export interface FormLimits {
  /** Elements per page; a section counts as 2 (a title and its text). */
  maxElementsPerPage: number;
}

export interface ItemRef {
  di: number;
  ii: number;
  dimensionKey: string;
  item: TemplateItem;
}

const FIELDS_PER_ITEM = 7;
const LIMITS = { note: 1000, desc: 1000, impact: 500, url: 2000 } as const;
const MAX_PAGES = 30;

export const fieldId = (
  ref: Pick<ItemRef, 'di' | 'ii'>,
  kind: 'score' | 'note' | 'ev' | 'desc' | 'impact' | 'sev' | 'owner',
) => `d${ref.di}i${ref.ii}_${kind}`;

export function allItems(tpl: ChecklistTemplate): ItemRef[] {
  return tpl.dimensions.flatMap((d, di) => d.items.map((item, ii) => ({ di, ii, dimensionKey: d.key, item })));
}

/**
 * Pages by template and page budget, worked out once: every submit asks (validate, next page, page count),
 * and templates are immutable, shared from the template cache.
 */
const pagesOf = new WeakMap<ChecklistTemplate, Map<number, readonly ItemRef[][]>>();

/** Splits items into pages within the element budget; a dimension title opens each dimension's run. */
export function paginate(tpl: ChecklistTemplate, limits: FormLimits): readonly ItemRef[][] {
  let byBudget = pagesOf.get(tpl);
  if (!byBudget) pagesOf.set(tpl, (byBudget = new Map()));
  let pages = byBudget.get(limits.maxElementsPerPage);
  if (!pages) byBudget.set(limits.maxElementsPerPage, (pages = Object.freeze(splitPages(tpl, limits))));
  return pages;
}

function splitPages(tpl: ChecklistTemplate, limits: FormLimits): ItemRef[][] {
  const pages: ItemRef[][] = [];
  let page: ItemRef[] = [];
  let used = 0;
  let lastDim = -1;
  for (const ref of allItems(tpl)) {
    let cost = FIELDS_PER_ITEM + (page.length === 0 || ref.di !== lastDim ? 2 : 0);
    if (page.length > 0 && used + cost > limits.maxElementsPerPage) {
      pages.push(page);
      page = [];
      used = 0;
      cost = FIELDS_PER_ITEM + 2;
    }
    page.push(ref);
    used += cost;
    lastDim = ref.di;
  }
  if (page.length > 0) pages.push(page);
  if (pages.length > MAX_PAGES) throw new Error(`template needs ${pages.length} pages; at most ${MAX_PAGES}`);
  return pages;
}

export interface FormContext {
  tpl: ChecklistTemplate;
  locale: Locale;
  formId: string;
  deptName: string;
  people: SelectOption[];
  defaultOwner: string | undefined;
  limits: FormLimits;
}

/** The answers a score field takes. */
const scoreValues = (item: TemplateItem): readonly string[] =>
  item.scoring === 'pass_fail' ? PASS_FAIL_VALUES : SCALE_VALUES;
const PASS_FAIL_VALUES = ['pass', 'fail', 'na'];
const SCALE_VALUES = ['5', '4', '3', '2', '1', '0', 'na'];

const ANSWER_LABELS: Record<string, MessageKey> = { pass: 'answer.pass', fail: 'answer.fail', na: 'answer.na' };

function scoreOptions(item: TemplateItem, locale: Locale): SelectOption[] {
  return scoreValues(item).map((value) => ({
    value,
    label: ANSWER_LABELS[value] ? t(locale, ANSWER_LABELS[value]) : value,
  }));
}

function severityOptions(locale: Locale): SelectOption[] {
  return SEVERITIES.map((s) => ({ value: s, label: t(locale, `severity.${s}`) }));
}

/** The page's form; `values` refills it (kept as filled after errors) and `errors` mark fields. */
export function buildPage(
  ctx: FormContext,
  page: number,
  values: Record<string, string> = {},
  errors: FieldErrors = {},
): FormView {
  const { tpl, locale } = ctx;
  const pages = paginate(tpl, ctx.limits);
  const refs = pages[page] ?? [];
  const elements: FormElement[] = [];
  let lastDim = -1;
  for (const ref of refs) {
    const dim = tpl.dimensions[ref.di]!;
    if (ref.di !== lastDim) {
      elements.push({ kind: 'section', title: `${ref.di + 1}. ${lit(pick(dim.name, locale))}` });
      lastDim = ref.di;
    }
    for (const field of itemFields(ctx, ref, values))
      elements.push({ kind: 'field', field: errors[field.id] ? { ...field, error: errors[field.id] } : field });
  }
  return {
    formType: 'inspection',
    formId: ctx.formId,
    page,
    pageCount: pages.length,
    pageLabel: pages.length > 1 ? t(locale, 'common.pageOf', { page: page + 1, count: pages.length }) : undefined,
    title: t(locale, 'inspect.title', { dept: ctx.deptName }),
    submitLabel: page + 1 < pages.length ? t(locale, 'common.next') : t(locale, 'common.submit'),
    closeLabel: t(locale, 'common.cancel'),
    elements,
  };
}

/** An item's seven fields: its score, a note and evidence, and the finding it may raise. */
function itemFields(ctx: FormContext, ref: ItemRef, values: Record<string, string>): Array<Omit<FormField, 'error'>> {
  const { tpl, locale } = ctx;
  const n = `${ref.di + 1}.${ref.ii + 1}`;
  const text = lit(pick(ref.item.text, locale));
  const v = (kind: Parameters<typeof fieldId>[1]) => values[fieldId(ref, kind)];
  return [
    {
      id: fieldId(ref, 'score'),
      label: `${n} ${text}`,
      kind: 'select',
      required: true,
      options: scoreOptions(ref.item, locale),
      initial: v('score'),
      hint: ref.item.scoring === 'scale_0_5' ? t(locale, 'inspect.failThreshold', { n: tpl.failAtOrBelow }) : undefined,
    },
    {
      id: fieldId(ref, 'note'),
      label: `${n} ${t(locale, 'inspect.note')}`,
      kind: 'textarea',
      required: false,
      initial: v('note'),
      maxLength: LIMITS.note,
    },
    {
      id: fieldId(ref, 'ev'),
      label: `${n} ${t(locale, 'inspect.evidence')}`,
      kind: 'url',
      required: false,
      initial: v('ev'),
    },
    {
      id: fieldId(ref, 'desc'),
      label: `${n} ${t(locale, 'inspect.findingDesc')}`,
      kind: 'textarea',
      required: false,
      initial: v('desc'),
      maxLength: LIMITS.desc,
    },
    {
      id: fieldId(ref, 'impact'),
      label: `${n} ${t(locale, 'inspect.findingImpact')}`,
      kind: 'text',
      required: false,
      initial: v('impact'),
      maxLength: LIMITS.impact,
    },
    {
      id: fieldId(ref, 'sev'),
      label: `${n} ${t(locale, 'inspect.findingSeverity')}`,
      kind: 'select',
      required: false,
      options: severityOptions(locale),
      initial: v('sev') ?? 'medium',
    },
    {
      id: fieldId(ref, 'owner'),
      label: `${n} ${t(locale, 'inspect.findingOwner')}`,
      kind: 'select',
      required: false,
      options: ctx.people,
      initial: v('owner') ?? ctx.defaultOwner,
    },
  ];
}

const isUrl = (s: string) => {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
};

/** Checks one page's answers; returns the cleaned values of its fields and any field errors. */
export function validatePage(
  ctx: Pick<FormContext, 'tpl' | 'locale' | 'people' | 'limits'>,
  page: number,
  raw: Record<string, string | undefined>,
): { values: Record<string, string>; errors: FieldErrors } {
  const { tpl, locale } = ctx;
  const refs = paginate(tpl, ctx.limits)[page] ?? [];
  const values: Record<string, string> = {};
  const errors: FieldErrors = {};
  const peopleIds = new Set(ctx.people.map((p) => p.value));
  for (const ref of refs) {
    const get = (kind: Parameters<typeof fieldId>[1]) => {
      const id = fieldId(ref, kind);
      const v = (raw[id] ?? '').trim();
      if (v) values[id] = v;
      return v;
    };
    const err = (
      kind: Parameters<typeof fieldId>[1],
      key: Parameters<typeof t>[1],
      params?: Record<string, number>,
    ) => {
      errors[fieldId(ref, kind)] ??= t(locale, key, params);
    };
    const score = get('score');
    const note = get('note');
    const ev = get('ev');
    const desc = get('desc');
    const impact = get('impact');
    const sev = get('sev');
    const owner = get('owner');
    const valid = scoreValues(ref.item);
    if (!score) err('score', 'inspect.err.required');
    else if (!valid.includes(score)) err('score', 'inspect.err.invalidOption');
    if (note.length > LIMITS.note) err('note', 'inspect.err.tooLong', { n: LIMITS.note });
    if (desc.length > LIMITS.desc) err('desc', 'inspect.err.tooLong', { n: LIMITS.desc });
    if (impact.length > LIMITS.impact) err('impact', 'inspect.err.tooLong', { n: LIMITS.impact });
    if (ev && (ev.length > LIMITS.url || !isUrl(ev))) err('ev', 'inspect.err.url');
    if (sev && !(SEVERITIES as readonly string[]).includes(sev)) err('sev', 'inspect.err.invalidOption');
    if (owner && !peopleIds.has(owner)) err('owner', 'inspect.err.invalidOption');
    if (score && valid.includes(score) && isFailed(tpl, ref.item, score)) {
      if (ref.item.noteRequiredOnFail && !note) err('note', 'inspect.err.noteRequired');
      if (!desc) err('desc', 'inspect.err.findingRequired');
      if (!sev) err('sev', 'inspect.err.required');
      if (!owner) err('owner', 'inspect.err.required');
    }
  }
  return { values, errors };
}

/** Turns a complete set of answers into item outcomes with their findings. */
export function outcomes(tpl: ChecklistTemplate, answers: Record<string, string>): ItemOutcome[] {
  return allItems(tpl).map((ref) => {
    const a = (kind: Parameters<typeof fieldId>[1]) => answers[fieldId(ref, kind)] ?? '';
    const answer = a('score');
    const failed = isFailed(tpl, ref.item, answer);
    const evidence = a('ev') || null;
    return {
      dimensionKey: ref.dimensionKey,
      itemKey: ref.item.key,
      answer,
      failed,
      note: a('note') || null,
      evidenceUrl: evidence,
      finding: failed
        ? {
            description: a('desc'),
            impact: a('impact') || null,
            severity: (a('sev') || 'medium') as Severity,
            responsibleMemberId: Number(a('owner')),
            evidenceUrls: evidence ? [evidence] : [],
          }
        : null,
    };
  });
}
