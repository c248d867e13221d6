// How much command text dudao reads. A command is a few words, a department name and some mentions; the
// bound is checked before any parsing or spelling suggestion (whose cost grows with the text), so a message
// of megabytes costs no more than a short one. Both platforms let people send far longer messages than this.
export const MAX_COMMAND_CHARS = 4000;

/** Enough of an over-long text for the check to still see that it is too long. */
export const clipCommandText = (text: string): string =>
  text.length > MAX_COMMAND_CHARS ? text.slice(0, MAX_COMMAND_CHARS + 1) : text;
