// Platform-neutral views. Core use cases return these; src/platforms/slack renders them as Block Kit and
// src/platforms/feishu as Card JSON 2.0. All text is already localized for the reader.

export type Tone = 'default' | 'success' | 'warning' | 'danger';

export interface Button {
  /** Routing id the adapters hand back to the core on click, e.g. "finding.open". */
  actionId: string;
  label: string;
  /** Opaque payload (<= 1900 chars) returned with the click. */
  value: string;
  style?: 'primary' | 'danger';
}

export type Block =
  | { kind: 'header'; text: string }
  /** Markdown subset both platforms render: *bold*, _italic_, `code`, newlines, "- " bullets. */
  | { kind: 'text'; text: string }
  | { kind: 'fields'; fields: Array<{ label: string; value: string }> }
  | { kind: 'divider' }
  | { kind: 'context'; text: string }
  | { kind: 'actions'; buttons: Button[] };

export interface MessageView {
  /** Plain-text fallback for notifications and clients that cannot render blocks. */
  text: string;
  tone?: Tone;
  blocks: Block[];
}

export interface SelectOption {
  value: string;
  label: string;
}

/** 'users': people of the reader's platform (Slack user ids, Feishu open_ids), submitted and pre-filled as a comma-separated list. */
export type FieldKind = 'select' | 'text' | 'textarea' | 'url' | 'date' | 'users';

export interface FormField {
  /** Unique within the form; [a-z0-9_]+ so that it works as Slack block_id/action_id and Feishu name. */
  id: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  /** select: the choices. users: the people offered where the platform needs a list (Feishu); Slack offers its whole directory. */
  options?: SelectOption[];
  placeholder?: string;
  hint?: string;
  /** Pre-filled value (select: option value; date: yyyy-MM-dd; users: ids joined with ','). */
  initial?: string;
  /** Inline error shown under the field (set when a submission is returned with errors). */
  error?: string;
  maxLength?: number;
  /** users: at most this many people, where the platform's picker can enforce it (Slack). */
  maxItems?: number;
}

/** The ids of a 'users' field's value ('U1,U2' → ['U1', 'U2']), without blanks or repeats. */
export function userIdsOf(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ];
}

export type FormElement = { kind: 'field'; field: FormField } | { kind: 'section'; title: string; text?: string };

export interface FormView {
  /** Routes submissions back to the right use case, e.g. "inspection". */
  formType: string;
  /** Opaque id of the server-side draft this form fills (Slack private_metadata, Feishu button value). */
  formId: string;
  page: number;
  pageCount: number;
  /** "Page x of y" in the reader's language, for platforms that show it (set when pageCount > 1). */
  pageLabel?: string;
  title: string;
  submitLabel: string;
  closeLabel: string;
  elements: FormElement[];
}

export type FieldErrors = Record<string, string>;

/** What the core answers to a command or a click. */
export type Reply =
  | { kind: 'message'; message: MessageView; visibility: 'private' | 'public' }
  | { kind: 'form'; form: FormView };

/** What the core answers to a form submission. */
export type FormOutcome =
  | { kind: 'errors'; errors: FieldErrors; summary: string; form: FormView }
  | { kind: 'next'; form: FormView }
  /**
   * `afterAnswer`: work the platform runs once the answer is sent (and awaits, so shutdown and tests can wait
   * for it), e.g. writing out a submitted checklist's details and messages.
   */
  | { kind: 'done'; message: MessageView; afterAnswer?: () => Promise<void> }
  | { kind: 'refused'; message: string };

export function fieldsOf(form: FormView): FormField[] {
  return form.elements.flatMap((e) => (e.kind === 'field' ? [e.field] : []));
}
