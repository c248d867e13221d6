// Neutral views as Block Kit. Every Slack limit is applied here so that a long department name, a big
// template or a chatty finding never turns into an `invalid_blocks` error at send time.
import type { types } from '@slack/bolt';
import { z } from 'zod';
import { plainText, renderText } from '../../core/views/text.js';
import {
  type Block,
  type FieldErrors,
  type FormField,
  type FormView,
  type MessageView,
  userIdsOf,
} from '../../core/views/types.js';

type KnownBlock = types.KnownBlock;

export const FORM_CALLBACK_ID = 'dudao_form';

/** Documented Block Kit limits (docs.slack.dev/reference/block-kit). */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  headerText: 150,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  viewTitle: 24,
  selectOptions: 100,
  optionText: 75,
  label: 2000,
  hint: 2000,
  placeholder: 150,
  inputText: 3000,
  privateMetadata: 3000,
} as const;

/** Cuts to `max` UTF-16 units with an ellipsis, never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

// Slack syntax that dudao's own markup may hold: a mention or channel link it makes, a link it formats. Special
// mentions (<!channel>, <!here>) are never dudao's, and a person's text arrives as a literal span (core
// views/text.ts), so every other <, > or & is text, which Slack wants escaped or it reads it as markup.
const SLACK_SYNTAX = /<(?:@[UWB][A-Z0-9]{2,}|#[CGD][A-Z0-9]{2,}|(?:https?|mailto):[^\s<>|]+)(?:\|[^<>]*)?>/g;
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function markupMrkdwn(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SLACK_SYNTAX)) {
    out += escapeText(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + escapeText(text.slice(last));
}

/** Neutral markdown (*bold*, _italic_, `code`, "- " bullets) is already Slack mrkdwn; only escaping is left. */
export function toMrkdwn(text: string): string {
  return renderText(text, markupMrkdwn, escapeText);
}

/** Splits at line breaks into pieces of at most `max`; a single longer line is cut hard. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current) pieces.push(current);
    let rest = line;
    while (rest.length > max) {
      pieces.push(rest.slice(0, max));
      rest = rest.slice(max);
    }
    current = rest;
  }
  if (current) pieces.push(current);
  return pieces;
}

const plain = (text: string, max: number) => ({
  type: 'plain_text' as const,
  text: clip(plainText(text), max) || ' ',
  emoji: true,
});
const chunks = <T>(list: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

function renderBlock(block: Block, buttonIndex: { n: number }): KnownBlock[] {
  switch (block.kind) {
    case 'header':
      return block.text.trim() ? [{ type: 'header', text: plain(block.text, SLACK_LIMITS.headerText) }] : [];
    case 'text':
      // Escape first: escaping lengthens the text, and the limit applies to what Slack receives.
      return splitText(toMrkdwn(block.text), SLACK_LIMITS.sectionText)
        .filter((piece) => piece.trim())
        .map((piece) => ({ type: 'section', text: { type: 'mrkdwn', text: piece } }));
    case 'fields':
      return chunks(block.fields, SLACK_LIMITS.sectionFields).map((group) => ({
        type: 'section',
        fields: group.map((f) => ({
          type: 'mrkdwn' as const,
          text: clip(`*${toMrkdwn(f.label)}*\n${toMrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
        })),
      }));
    case 'divider':
      return [{ type: 'divider' }];
    case 'context':
      return block.text.trim()
        ? [
            {
              type: 'context',
              elements: [{ type: 'mrkdwn', text: clip(toMrkdwn(block.text), SLACK_LIMITS.sectionText) }],
            },
          ]
        : [];
    case 'actions':
      return chunks(block.buttons, SLACK_LIMITS.actionsElements).map((group) => ({
        type: 'actions',
        // action_id must be unique within a block; listeners/actions.ts strips the ":n" suffix again.
        elements: group.map((b) => ({
          type: 'button' as const,
          action_id: `${b.actionId}:${buttonIndex.n++}`,
          text: plain(b.label, SLACK_LIMITS.buttonText),
          value: b.value.slice(0, SLACK_LIMITS.buttonValue),
          ...(b.style ? { style: b.style } : {}),
        })),
      }));
  }
}

export function renderMessage(view: MessageView): { text: string; blocks: KnownBlock[] } {
  const counter = { n: 0 };
  let blocks = view.blocks.flatMap((b) => renderBlock(b, counter));
  if (blocks.length > SLACK_LIMITS.messageBlocks) {
    blocks = [
      ...blocks.slice(0, SLACK_LIMITS.messageBlocks - 1),
      { type: 'context', elements: [{ type: 'mrkdwn', text: '…' }] },
    ];
  }
  return { text: clip(toMrkdwn(view.text), SLACK_LIMITS.messageText) || ' ', blocks };
}

function renderField(field: FormField): KnownBlock {
  const common = {
    type: 'input' as const,
    block_id: field.id,
    label: plain(field.label, SLACK_LIMITS.label),
    optional: !field.required,
    ...(field.hint ? { hint: plain(field.hint, SLACK_LIMITS.hint) } : {}),
  };
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder, SLACK_LIMITS.placeholder) } : {};
  const options = (field.options ?? [])
    .slice(0, SLACK_LIMITS.selectOptions)
    .map((o) => ({ text: plain(o.label, SLACK_LIMITS.optionText), value: o.value }));
  // Slack rejects a select without options; a free-text input is the only thing left to offer.
  if (field.kind === 'select' && options.length > 0) {
    const initial = options.find((o) => o.value === field.initial);
    return {
      ...common,
      element: {
        type: 'static_select',
        action_id: field.id,
        options,
        ...placeholder,
        ...(initial ? { initial_option: initial } : {}),
      },
    };
  }
  if (field.kind === 'users') {
    // Slack offers its own directory; the core's candidate list (options) is for platforms without one.
    const initial = userIdsOf(field.initial);
    return {
      ...common,
      element: {
        type: 'multi_users_select',
        action_id: field.id,
        ...placeholder,
        ...(initial.length ? { initial_users: initial } : {}),
        ...(field.maxItems && field.maxItems > 0 ? { max_selected_items: field.maxItems } : {}),
      },
    };
  }
  if (field.kind === 'date') {
    const initial = field.initial && /^\d{4}-\d{2}-\d{2}$/.test(field.initial) ? { initial_date: field.initial } : {};
    return { ...common, element: { type: 'datepicker', action_id: field.id, ...placeholder, ...initial } };
  }
  const maxLength = Math.min(field.maxLength ?? SLACK_LIMITS.inputText, SLACK_LIMITS.inputText);
  return {
    ...common,
    element: {
      type: 'plain_text_input',
      action_id: field.id,
      multiline: field.kind === 'textarea',
      max_length: maxLength,
      ...placeholder,
      ...(field.initial ? { initial_value: field.initial.slice(0, maxLength) } : {}),
    },
  };
}

export function renderModal(form: FormView): types.ModalView {
  const blocks: KnownBlock[] = form.elements.map((el): KnownBlock => {
    if (el.kind === 'field') return renderField(el.field);
    // One block per section whatever it holds: the core's page budget counts a section as two.
    if (!el.text) return { type: 'header', text: plain(el.title, SLACK_LIMITS.headerText) };
    return {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*${toMrkdwn(el.title)}*\n${toMrkdwn(el.text)}`, SLACK_LIMITS.sectionText) },
    };
  });
  if (blocks.length > SLACK_LIMITS.modalBlocks) {
    // Dropping fields would make the page impossible to complete; fail loudly instead.
    throw new Error(
      `form page ${form.page} needs ${blocks.length} blocks; a Slack modal holds ${SLACK_LIMITS.modalBlocks}`,
    );
  }
  if (form.pageLabel && blocks.length < SLACK_LIMITS.modalBlocks)
    blocks.unshift({ type: 'context', elements: [plain(form.pageLabel, SLACK_LIMITS.sectionText)] });
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    private_metadata: JSON.stringify({ t: form.formType, id: form.formId, p: form.page }),
    title: plain(form.title, SLACK_LIMITS.viewTitle),
    submit: plain(form.submitLabel, SLACK_LIMITS.viewTitle),
    close: plain(form.closeLabel, SLACK_LIMITS.viewTitle),
    blocks,
  };
}

/** `response_action: errors` wants messages keyed by the input block's block_id, which is the field id. */
export function renderFieldErrors(errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([id, message]) => [id, clip(plainText(message), SLACK_LIMITS.label)]),
  );
}

/** view.state.values → field id → submitted value ('' when left empty; a user picker's ids joined with ','). */
export function readModalValues(values: Record<string, Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values ?? {})) {
    const state = (actions[blockId] ?? Object.values(actions)[0]) as
      | {
          value?: unknown;
          selected_option?: { value?: unknown } | null;
          selected_date?: unknown;
          selected_users?: unknown;
        }
      | undefined;
    if (Array.isArray(state?.selected_users)) {
      out[blockId] = state.selected_users
        .filter((u): u is string => typeof u === 'string' && /^[A-Z0-9]{2,30}$/.test(u))
        .join(',');
      continue;
    }
    const raw = state?.selected_option?.value ?? state?.selected_date ?? state?.value;
    out[blockId] = typeof raw === 'string' ? raw : '';
  }
  return out;
}

const metadataSchema = z.object({
  t: z.string().min(1).max(64),
  id: z.string().min(1).max(200),
  p: z.number().int().min(0).max(1000),
});

/** The form a submission belongs to; null for anything we did not write (old or foreign views). */
export function readPrivateMetadata(
  raw: string | undefined,
): { formType: string; formId: string; page: number } | null {
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  const r = metadataSchema.safeParse(parsed);
  return r.success ? { formType: r.data.t, formId: r.data.id, page: r.data.p } : null;
}
