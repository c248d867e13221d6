// Neutral views as Feishu Card JSON 2.0, and card callbacks back into neutral inputs.
import { z } from 'zod';
import { plainText, renderText } from '../../core/views/text.js';
import type { Block, Button, FormField, FormView, MessageView, SelectOption, Tone } from '../../core/views/types.js';
import { fieldsOf, userIdsOf } from '../../core/views/types.js';

type Json = Record<string, unknown>;

/** Feishu rejects cards above 30 KB (error 230025 on send; the client refuses a callback card). */
export const CARD_MAX_BYTES = 30 * 1024;
/** What form cards aim for: the send API wraps the card in a JSON string, whose escapes add a little. */
export const CARD_BUDGET_BYTES = CARD_MAX_BYTES - 2 * 1024;
/** Feishu inputs accept at most 1000 characters. */
const INPUT_MAX = 1000;
const HEADER_MAX = 150;

const TEMPLATE: Record<Tone, string> = { default: 'blue', success: 'green', warning: 'orange', danger: 'red' };

const plain = (content: string) => ({ tag: 'plain_text', content: plainText(content) });
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export const cardBytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');

// Characters Feishu's card markdown reads as syntax: tags and entities, emphasis, strikethrough, code, links
// and its escape character. In a person's text each is written as an HTML entity.
const LITERAL_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
};
const LITERAL_CHARS = /[&<>*_~`[\]\\]/g;
const literalMarkdown = (s: string) => s.replace(LITERAL_CHARS, (c) => LITERAL_ESCAPES[c]!);

/** dudao's own markup: Slack-flavoured (*bold*, _italic_, <@id>) to Feishu's (**bold**, *italic*, <at id=…></at>). */
function markupMarkdown(text: string): string {
  return text
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/&lt;@(ou_[A-Za-z0-9]+)&gt;/g, '<at id=$1></at>')
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, '$1**$2**')
    .replace(/(^|[\s(])_(?=\S)([^_\n]*?\S)_(?=$|[\s).,;:!?])/g, '$1*$2*');
}

/**
 * View text as Feishu card markdown. Angle brackets of dudao's own text are escaped too, so that nothing but
 * the mentions it makes can become a tag such as <at id=all>; a person's text (views/text.ts) shows as text.
 */
export function larkMarkdown(text: string): string {
  return renderText(text, markupMarkdown, literalMarkdown);
}

const markdown = (content: string): Json => ({ tag: 'markdown', content });
const grey = (s: string) => `<font color='grey'>${larkMarkdown(s)}</font>`;
const red = (s: string) => `<font color='red'>${larkMarkdown(s)}</font>`;

function header(title: string, tone: Tone | undefined, subtitle?: string): Json {
  return {
    title: plain(clip(title, HEADER_MAX)),
    ...(subtitle ? { subtitle: plain(subtitle) } : {}),
    template: TEMPLATE[tone ?? 'default'],
  };
}

function buttonElement(b: Button): Json {
  return {
    tag: 'button',
    text: plain(b.label),
    type: b.style ?? 'default',
    behaviors: [{ type: 'callback', value: { a: b.actionId, v: b.value } }],
  };
}

function blockElements(b: Block): Json[] {
  switch (b.kind) {
    case 'header':
      return [markdown(`**${larkMarkdown(b.text)}**`)];
    case 'text':
      return [markdown(larkMarkdown(b.text))];
    case 'fields':
      return [markdown(b.fields.map((f) => `**${larkMarkdown(f.label)}**: ${larkMarkdown(f.value)}`).join('\n'))];
    case 'context':
      return [markdown(grey(b.text))];
    case 'divider':
      return [{ tag: 'hr' }];
    case 'actions':
      return b.buttons.map(buttonElement);
  }
}

/** A message card. The first header block becomes the card header, coloured by the tone. */
export function renderCard(view: MessageView): Json {
  const first = view.blocks.findIndex((b) => b.kind === 'header');
  const title = first >= 0 ? (view.blocks[first] as Extract<Block, { kind: 'header' }>).text : undefined;
  const body = view.blocks.filter((_, i) => i !== first).flatMap(blockElements);
  if (body.length === 0 && !title) body.push(markdown(larkMarkdown(view.text)));
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: clip(plainText(view.text), 100) } },
    ...(title ? { header: header(title, view.tone) } : {}),
    body: { elements: body },
  };
}

/** Keeps the first `keep` options and the selected one. */
function trimOptions(options: SelectOption[], keep: number, initial: string | undefined): SelectOption[] {
  if (options.length <= keep) return options;
  const kept = options.slice(0, keep);
  const selected = options.find((o) => o.value === initial);
  return selected && !kept.includes(selected) ? [...kept, selected] : kept;
}

function fieldElements(f: FormField, maxOptions: number): Json[] {
  const label = `**${larkMarkdown(f.label)}**${f.required ? " <font color='red'>*</font>" : ''}${f.hint ? `\n${grey(f.hint)}` : ''}`;
  const common = {
    name: f.id,
    required: f.required,
    width: 'fill',
    ...(f.placeholder ? { placeholder: plain(f.placeholder) } : {}),
  };
  let input: Json;
  if (f.kind === 'select') {
    const options = trimOptions(f.options ?? [], maxOptions, f.initial);
    // An initial value the options do not hold would make Feishu reject the whole card.
    const initial = f.initial !== undefined && options.some((o) => o.value === f.initial) ? f.initial : undefined;
    input = {
      tag: 'select_static',
      ...common,
      options: options.map((o) => ({ text: plain(o.label), value: o.value })),
      ...(initial !== undefined ? { initial_option: initial } : {}),
    };
  } else if (f.kind === 'users') {
    // Without options Feishu offers the members of the chat the card is in (only the bot and the person in a
    // direct chat), so the core's candidates are listed; the chosen ones always stay selectable.
    const chosen = userIdsOf(f.initial);
    const candidates = trimOptions(f.options ?? [], maxOptions, undefined).map((o) => o.value);
    const values = [...new Set([...candidates, ...chosen])];
    input = {
      tag: 'multi_select_person',
      ...common,
      options: values.map((value) => ({ value })),
      ...(chosen.length ? { selected_values: chosen } : {}),
    };
  } else if (f.kind === 'date') {
    input = {
      tag: 'date_picker',
      ...common,
      ...(f.initial && /^\d{4}-\d{2}-\d{2}$/.test(f.initial) ? { initial_date: f.initial } : {}),
    };
  } else {
    const max = Math.min(f.maxLength ?? INPUT_MAX, INPUT_MAX);
    input = {
      tag: 'input',
      ...common,
      ...(f.kind === 'textarea' ? { input_type: 'multiline_text', rows: 3, auto_resize: true } : {}),
      max_length: max,
      // The client never lets anyone type past max_length, so only a tampered value is cut here.
      ...(f.initial ? { default_value: f.initial.slice(0, max) } : {}),
    };
  }
  return [markdown(label), input, ...(f.error ? [markdown(red(f.error))] : [])];
}

/** Value carried by a form's submit button: which form, which draft, which page. */
export interface SubmitValue {
  t: string;
  id: string;
  p: number;
}

// Whether Feishu hands back a submit button's behaviors value is disputed (larksuite/cli's form fixture
// arrives with `value: {}`), so the routing also rides in the button name, kept to [A-Za-z0-9_].
const SUBMIT_NAME = /^dudao_([a-z]+)_(\d{1,3})_([A-Za-z0-9_]{1,100})$/;
// Forms whose type or id holds other characters (a rectification step: "finding.plan", "12:3") carry both
// hex-encoded, so they too route without the value.
const SUBMIT_NAME_HEX = /^dudao_x_(\d{1,3})_((?:[0-9a-f]{2}){3,100})$/;
function submitName(form: FormView): string {
  if (/^[a-z]+$/.test(form.formType) && /^[A-Za-z0-9-]{1,100}$/.test(form.formId))
    return `dudao_${form.formType}_${form.page}_${form.formId.replace(/-/g, '_')}`;
  const packed = Buffer.from(`${form.formType}\n${form.formId}`, 'utf8').toString('hex');
  return packed.length <= 200 ? `dudao_x_${form.page}_${packed}` : 'dudao_submit';
}
function fromSubmitName(name: string | undefined): SubmitValue | null {
  const hex = name ? SUBMIT_NAME_HEX.exec(name) : null;
  if (hex) {
    const [t, id, ...rest] = Buffer.from(hex[2]!, 'hex').toString('utf8').split('\n');
    return t && id && rest.length === 0 ? { t, p: Number(hex[1]), id } : null;
  }
  const m = name ? SUBMIT_NAME.exec(name) : null;
  return m ? { t: m[1]!, p: Number(m[2]), id: m[3]!.replace(/_/g, '-') } : null;
}

/**
 * One page of a form as a card holding a single `form` container. Long option lists (a large department's
 * people) are shortened until the card fits the budget; what typed answers weigh cannot be shortened, so
 * the result may still be too big (see fitFormCard).
 */
export function renderFormCard(form: FormView, budget = CARD_BUDGET_BYTES): Json {
  let card = formCard(form, Number.POSITIVE_INFINITY);
  for (let keep = 50; keep >= 10 && cardBytes(card) > budget; keep -= 10) card = formCard(form, keep);
  return card;
}

/** The form card when it fits Feishu's limit, else null (answer with a toast and leave the card as typed). */
export function fitFormCard(form: FormView): Json | null {
  const card = renderFormCard(form);
  return cardBytes(card) <= CARD_MAX_BYTES ? card : null;
}

/** A toast-sized list of what to fix, for when the form card itself is too big to send back. */
export function errorDigest(summary: string, form: FormView, max = 4): string {
  const bad = fieldsOf(form).filter((f) => f.error);
  const lines = bad.slice(0, max).map((f) => `${clip(plainText(f.label), 40)}: ${plainText(f.error ?? '')}`);
  if (bad.length > max) lines.push('…');
  return [plainText(summary), ...lines].join('\n');
}

function formCard(form: FormView, maxOptions: number): Json {
  const elements: Json[] = [];
  for (const el of form.elements) {
    if (el.kind === 'section')
      elements.push(markdown(`**${larkMarkdown(el.title)}**${el.text ? `\n${larkMarkdown(el.text)}` : ''}`));
    else elements.push(...fieldElements(el.field, maxOptions));
  }
  const value: SubmitValue = { t: form.formType, id: form.formId, p: form.page };
  elements.push({
    tag: 'button',
    name: submitName(form),
    text: plain(form.submitLabel),
    type: 'primary',
    form_action_type: 'submit',
    behaviors: [{ type: 'callback', value }],
  });
  const pageLabel = form.pageLabel ?? (form.pageCount > 1 ? `${form.page + 1}/${form.pageCount}` : undefined);
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: clip(plainText(form.title), 100) } },
    header: header(form.title, 'default', pageLabel),
    body: { elements: [{ tag: 'form', name: `dudao_form_${form.page}`, elements }] },
  };
}

export type ToastType = 'info' | 'success' | 'warning' | 'error';

export function toast(type: ToastType, content: string): { toast: { type: ToastType; content: string } } {
  return { toast: { type, content: clip(plainText(content), 500) } };
}

export type CardAction =
  | { kind: 'button'; actionId: string; value: string }
  | { kind: 'form'; formType: string; formId: string; page: number; values: Record<string, string> };

const CallbackSchema = z.object({
  action: z.object({
    tag: z.string().optional(),
    name: z.string().max(300).optional(),
    value: z.unknown().optional(),
    form_value: z.record(z.string(), z.unknown()).nullish(),
  }),
});
const ButtonValueSchema = z.object({ a: z.string().min(1).max(255), v: z.string().max(2000) });
const SubmitValueSchema = z.object({
  t: z.string().min(1).max(50),
  id: z.string().min(1).max(200),
  p: z
    .union([
      z.number().int(),
      z
        .string()
        .regex(/^\d{1,3}$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(0).max(999)),
});

/** Older clients and the v1 callback send `value` as a JSON string. */
function objectValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

function formValues(raw: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    // Date pickers answer "2024-04-01 +0800"; the core works with the calendar date.
    if (typeof v === 'string') out[k] = /^\d{4}-\d{2}-\d{2} [+-]\d{4}$/.test(v) ? v.slice(0, 10) : v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    // Multi-selects (a person picker's open_ids) answer with an array; the core reads it comma-separated.
    else if (Array.isArray(v))
      out[k] = v.filter((x): x is string => typeof x === 'string' && !x.includes(',')).join(',');
  }
  return out;
}

/** Reads a card.action.trigger callback (already flattened by the SDK); null when it is not one of ours. */
export function readCardAction(data: unknown): CardAction | null {
  const parsed = CallbackSchema.safeParse(data);
  if (!parsed.success) return null;
  const { action } = parsed.data;
  const value = objectValue(action.value);
  const submit = SubmitValueSchema.safeParse(value);
  const route = submit.success ? submit.data : fromSubmitName(action.name);
  if (route)
    return { kind: 'form', formType: route.t, formId: route.id, page: route.p, values: formValues(action.form_value) };
  const button = ButtonValueSchema.safeParse(value);
  if (button.success) return { kind: 'button', actionId: button.data.a, value: button.data.v };
  return null;
}
