// One evaluation conversation as people have it, whatever the platform: commands typed, cards read and their
// buttons pressed, forms filled in and submitted. slack-evaluations.ts and feishu-evaluations.ts implement it
// over the real bot and the fake platform, so that evaluation-flows.ts can walk a cycle once for both.
import type { Member } from '../../src/core/ports.js';
import type { Db } from '../../src/store/database.js';

export interface ShownField {
  id: string;
  /** Option values of a select. */
  options: string[];
  /** What the field holds as shown (pre-filled or kept after errors). */
  initial?: string;
  /** The inline error shown on the field (Feishu cards; Slack's come in the submit answer). */
  error?: string;
}

export interface ShownForm {
  title: string;
  /** Every piece of text the person reads on the form, hints included. */
  text: string;
  fields: ShownField[];
  /** The Slack modal or the Feishu card. */
  raw: any;
  /** Feishu: the chat of the card that opened it (the submit callback names it). */
  chatId?: string;
}

/**
 * What a person sees after a command or a click: a form, or a message: ephemeral (Slack), a toast on the
 * clicked card, or a card in the chat (Feishu).
 */
export type Shown =
  | { kind: 'form'; form: ShownForm }
  | { kind: 'message'; text: string; via: 'ephemeral' | 'public' | 'toast' | 'card'; tone?: string; raw?: any };

/** The answer to a submitted form: inline errors, or a notice (saved, or refused). */
export type Submitted =
  | { kind: 'errors'; errors: Record<string, string>; raw: any; form?: ShownForm; toast?: string }
  | { kind: 'notice'; text: string; tone?: string };

export interface ShownCard {
  text: string;
  /** Button labels, in order. */
  buttons: string[];
  /** How many times it was posted or updated (1 = as posted; more = updated in place). */
  versions: number;
}

export interface EvalChat {
  readonly platform: 'slack' | 'feishu';
  readonly prisma: Db;
  /** The bot's clock: what it takes for the current time. */
  now(): Date;
  /** Members by display name. */
  readonly people: Record<string, Member>;
  /** Sends a command as `who`; `{Name}` in the text becomes a mention of that person, as the platform writes it. */
  command(who: string, text: string): Promise<Shown>;
  /** The card the bot keeps under this MessageRef key (e.g. eval:3:card:7), as it reads now; null if none. */
  card(refKey: string): Promise<ShownCard | null>;
  /** `actor` presses the button labelled `label` on the card under `refKey` (their own card or someone else's). */
  press(actor: string, refKey: string, label: string): Promise<Shown>;
  submit(who: string, form: ShownForm, values: Record<string, string>): Promise<Submitted>;
  /** Handles pending requests, then sends what the outbox holds. */
  settle(): Promise<void>;
  /** Texts of every message and card the bot sent to `who` in a direct chat, oldest first. */
  received(who: string): string[];
}
