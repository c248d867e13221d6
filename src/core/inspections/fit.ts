// Whether every platform can show a template's inspection form. Checked when a template is imported (the
// composition gives this check to TemplateService, so that templates need not know inspections), so that
// a checklist no platform can draw is refused with the item and the limit, instead of failing (or being cut
// short) when someone starts an inspection. The form itself is built by inspections/form.ts; this builds its
// pages the same way and measures them against what each platform shows.

import type { Locale, Platform } from '../ports.js';
import { formatPath } from '../shared/validation.js';
import type { ChecklistTemplate } from '../templates/schema.js';
import { plainText } from '../views/text.js';
import type { FormView } from '../views/types.js';
import { buildPage, type FormLimits, paginate } from './form.js';

/** Slack modals hold 100 blocks; Feishu cards 30 KB, which fits about three checklist items. */
export const DEFAULT_FORM_LIMITS: Record<Platform, FormLimits> = {
  slack: { maxElementsPerPage: 100 },
  feishu: { maxElementsPerPage: 27 },
};

/** What a platform shows of a form's text (docs.slack.dev Block Kit reference; Feishu card JSON 2.0). */
interface TextLimits {
  name: string;
  /** A dimension heading (Slack: a header block). */
  heading: number;
  /** A field's label. */
  label: number;
  /** One option of a select. */
  option: number;
  /** Options in one select. */
  options: number;
  /**
   * UTF-8 bytes of a page's own text (headings, labels, options), leaving room in Feishu's 30 KB card for
   * its markup and for the list of people an owner is picked from.
   */
  pageBytes: number;
}

const TEXT_LIMITS: Record<Platform, TextLimits> = {
  slack: { name: 'Slack', heading: 150, label: 2000, option: 75, options: 100, pageBytes: Number.POSITIVE_INFINITY },
  feishu: { name: 'Feishu', heading: 1000, label: 1000, option: 100, options: 100, pageBytes: 16 * 1024 },
};

const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** Every reason some platform cannot show the template's form, as "path: problem (limit)"; [] when all can. */
export function fitProblems(tpl: ChecklistTemplate, limits: Record<Platform, FormLimits> = DEFAULT_FORM_LIMITS) {
  const problems: string[] = [];
  for (const platform of Object.keys(limits) as Platform[]) {
    const budget = limits[platform];
    const text = TEXT_LIMITS[platform];
    const pages = pagesOrNull(tpl, budget);
    if (!pages) {
      problems.push(tooManyPages(tpl, budget, text.name));
      continue;
    }
    for (const locale of LOCALES)
      for (let page = 0; page < pages.length; page++) problems.push(...pageProblems(tpl, budget, text, locale, page));
  }
  return [...new Set(problems)];
}

function pagesOrNull(tpl: ChecklistTemplate, limits: FormLimits) {
  try {
    return paginate(tpl, limits);
  } catch {
    // paginate refuses a checklist that needs more pages than a form may have.
    return null;
  }
}

/** Names the first item past the last page a platform allows. */
function tooManyPages(tpl: ChecklistTemplate, limits: FormLimits, platform: string): string {
  const refs = tpl.dimensions.flatMap((d, di) => d.items.map((_, ii) => ({ di, ii })));
  // The longest run of items that still paginates: the item after it is the first that cannot be shown.
  let [lo, hi] = [0, refs.length];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (pagesOrNull(firstItems(tpl, mid), limits)) lo = mid;
    else hi = mid - 1;
  }
  const first = refs[lo]!;
  return `${formatPath(['dimensions', first.di, 'items', first.ii])}: a ${platform} form page holds ${limits.maxElementsPerPage} elements (7 per item, 2 per dimension heading) and a checklist has at most 30 pages, so ${platform} shows ${lo} of this template's ${refs.length} items: use fewer items or dimensions`;
}

function firstItems(tpl: ChecklistTemplate, n: number): ChecklistTemplate {
  let left = n;
  const dimensions = tpl.dimensions
    .map((d) => {
      const items = d.items.slice(0, Math.max(0, left));
      left -= items.length;
      return { ...d, items };
    })
    .filter((d) => d.items.length > 0);
  return { ...tpl, dimensions };
}

const refOf = (id: string) => {
  const m = /^d(\d+)i(\d+)_/.exec(id);
  return m ? { di: Number(m[1]), ii: Number(m[2]) } : null;
};

function pageProblems(
  tpl: ChecklistTemplate,
  limits: FormLimits,
  text: TextLimits,
  locale: Locale,
  page: number,
): string[] {
  const form = buildPage(
    { tpl, locale, formId: 'fit', deptName: '', people: [], defaultOwner: undefined, limits },
    page,
  );
  const lang = locale === 'en' ? 'en' : 'zh-CN';
  const out: string[] = [];
  form.elements.forEach((el, i) => {
    if (el.kind === 'section') {
      const next = form.elements.slice(i).find((e) => e.kind === 'field');
      const ref = next?.kind === 'field' ? refOf(next.field.id) : null;
      const size = plainText(el.title).length;
      if (ref && size > text.heading)
        out.push(
          `${formatPath(['dimensions', ref.di, 'name', lang])}: its heading is ${size} characters; ${text.name} shows at most ${text.heading}`,
        );
      return;
    }
    const ref = refOf(el.field.id);
    if (!ref) return;
    const where = formatPath(['dimensions', ref.di, 'items', ref.ii, 'text', lang]);
    const label = plainText(el.field.label).length;
    if (label > text.label)
      out.push(`${where}: its label is ${label} characters; ${text.name} shows at most ${text.label}`);
    const options = el.field.options ?? [];
    if (el.field.id.endsWith('_score') && options.length > text.options)
      out.push(`${where}: ${options.length} answers; ${text.name} shows at most ${text.options}`);
    for (const o of options)
      if (plainText(o.label).length > text.option)
        out.push(`${where}: the answer "${o.label}" is longer than the ${text.option} characters ${text.name} shows`);
  });
  const bytes = pageBytes(form);
  if (bytes > text.pageBytes)
    out.push(
      `dimensions: page ${page + 1} of the ${lang} form has ${bytes} bytes of text; a ${text.name} form page holds at most ${text.pageBytes}: shorten its texts`,
    );
  return out;
}

const pageBytes = (form: FormView) => new TextEncoder().encode(JSON.stringify(form.elements)).length;
