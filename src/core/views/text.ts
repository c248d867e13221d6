// Text that a person, a file or a platform profile supplied travels inside view text between two
// private-use characters. Each renderer shows such a span as text, escaping whatever its markup would read
// there (Slack's <!channel>, <@U…> and <url|label>; Feishu's tags, [label](url) links and emphasis), while
// the markup dudao writes around it (*bold*, the mentions it makes) stays live. Plain-text surfaces (titles,
// buttons, toasts, files, the CLI) drop the two characters with plainText().

export const LITERAL_OPEN = '\uE000';
export const LITERAL_CLOSE = '\uE001';
const SENTINELS = /[\uE000-\uE003]/g;

/** Characters that Slack mrkdwn or Feishu markdown could read as markup; text without any needs no span. */
const MARKUP_CHARS = /[<>&*_~`[\]\\]/;

/** Marks a person's text as text: never a mention, link, tag or emphasis on any platform. */
export function lit(text: string): string {
  const clean = text.replace(SENTINELS, '');
  return MARKUP_CHARS.test(clean) ? LITERAL_OPEN + clean + LITERAL_CLOSE : clean;
}

/** Markup dudao itself wrote (a mention it makes, a list of already-built lines), passed as a translation parameter. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export const markup = (text: string) => new Markup(text);

/** A mention dudao makes of a person by platform id (Slack user id, Feishu open_id): live on both platforms. */
export const mentionOf = (platformId: string) => markup(`<@${platformId.replace(/[^A-Za-z0-9_-]/g, '')}>`);

/** The view text as a person reads it where nothing is rendered as markup. */
export function plainText(text: string): string {
  return text.replace(SENTINELS, '');
}

const PLACEHOLDER = /\uE002(\d+)\uE003/g;
const PLACEHOLDER_MARKS = /[\uE002\uE003]/g;

/**
 * Renders view text: dudao's markup through `markupFn`, which sees the whole text with each literal span
 * replaced by an inert placeholder (so that *bold* around a person's text still pairs up), then each span
 * through `literalFn`. A span cut short (a truncated line) runs to the end; a stray close mark is dropped.
 */
export function renderText(text: string, markupFn: (s: string) => string, literalFn: (s: string) => string): string {
  const literals: string[] = [];
  let skeleton = '';
  let literal = false;
  let start = 0;
  const flush = (end: number) => {
    const piece = text.slice(start, end);
    if (!literal) skeleton += piece.replace(PLACEHOLDER_MARKS, '');
    else if (piece) skeleton += `\uE002${literals.push(piece) - 1}\uE003`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === LITERAL_OPEN || c === LITERAL_CLOSE) {
      flush(i);
      literal = c === LITERAL_OPEN;
      start = i + 1;
    }
  }
  flush(text.length);
  return markupFn(skeleton).replace(PLACEHOLDER, (_, n: string) => literalFn(literals[Number(n)] ?? ''));
}
