// The command line: each command declares its words, arguments and options (src/cli/commands.ts); this reads
// argv against those declarations. Anything a command does not declare is refused, never dropped, so that a
// mistyped or misplaced `--dry-run` cannot let a write through.
import { UsageError } from './io.js';

export interface OptionSpec {
  /** What the value looks like in usage (`FILE`, `N`); absent for a flag that takes no value. */
  value?: string;
  choices?: readonly string[];
  /** A whole number of at least 1. */
  positiveInteger?: boolean;
  required?: boolean;
  help: string;
}

export interface ArgSpec {
  name: string;
  /** Takes every remaining argument (at least one unless `optional`). */
  many?: boolean;
  optional?: boolean;
}

export interface CommandShape {
  words: string[];
  args: ArgSpec[];
  options: Record<string, OptionSpec>;
  summary: string;
  /** Further lines of help, shown by `dudao <command> --help`. */
  details?: string[];
}

export type OptionValues = Record<string, string | true | undefined>;

export interface ParsedCommand<C extends CommandShape> {
  command: C;
  args: string[];
  options: OptionValues;
}

export const name = (c: CommandShape) => `dudao ${c.words.join(' ')}`;
const seeHelp = (c: CommandShape) => `see \`${name(c)} --help\``;

/** The command whose words start argv; a wrong or missing word is a usage error listing what would fit. */
export function findCommand<C extends CommandShape>(argv: string[], commands: C[]): C {
  let candidates = commands;
  for (let depth = 0; ; depth++) {
    const done = candidates.find((c) => c.words.length === depth);
    if (done) return done;
    const word = argv[depth];
    const said = argv.slice(0, depth).join(' ');
    const next = [...new Set(candidates.map((c) => c.words[depth]!))];
    const narrowed = candidates.filter((c) => c.words[depth] === word);
    if (narrowed.length) {
      candidates = narrowed;
      continue;
    }
    const choices = `${next.slice(0, -1).join(', ')}${next.length > 1 ? ' or ' : ''}${next.at(-1)}`;
    if (depth === 0) throw new UsageError(`unknown command ${word}: see \`dudao --help\` for the commands`);
    if (word === undefined || word.startsWith('-'))
      throw new UsageError(`dudao ${said} needs one of: ${choices} (see \`dudao ${said} --help\`)`);
    throw new UsageError(`unknown command ${said} ${word}: expected ${choices}`);
  }
}

function optionValue(c: CommandShape, key: string, spec: OptionSpec, value: string): string {
  if (spec.choices && !spec.choices.includes(value))
    throw new UsageError(`--${key} must be ${spec.choices.join(' or ')}, not ${value}`);
  if (spec.positiveInteger && !/^[1-9]\d*$/.test(value))
    throw new UsageError(`--${key} must be a whole number from 1, not ${value} (${seeHelp(c)})`);
  return value;
}

/** Reads the arguments after the command's words against its declared arguments and options. */
export function parseCommandLine<C extends CommandShape>(c: C, rest: string[]): ParsedCommand<C> {
  const options: OptionValues = {};
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const tok = rest[i]!;
    if (tok === '--') {
      args.push(...rest.slice(i + 1));
      break;
    }
    if (!tok.startsWith('-') || tok === '-') {
      args.push(tok);
      continue;
    }
    const eq = tok.indexOf('=');
    const key = tok.startsWith('--') ? tok.slice(2, eq === -1 ? undefined : eq) : tok;
    const spec = c.options[key];
    if (!spec || !tok.startsWith('--'))
      throw new UsageError(`${name(c)} takes no option ${tok.split('=')[0]} (${seeHelp(c)})`);
    if (key in options) throw new UsageError(`--${key} is given twice`);
    if (!spec.value) {
      if (eq !== -1) throw new UsageError(`--${key} takes no value`);
      options[key] = true;
      continue;
    }
    const value = eq !== -1 ? tok.slice(eq + 1) : rest[i + 1];
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--')))
      throw new UsageError(`--${key} needs a value: --${key} ${spec.value}`);
    if (eq === -1) i++;
    options[key] = optionValue(c, key, spec, value);
  }
  for (const [key, spec] of Object.entries(c.options))
    if (spec.required && options[key] === undefined)
      throw new UsageError(`${name(c)} needs --${key} ${spec.value ?? ''}`.trimEnd());
  checkArgs(c, args);
  return { command: c, args, options };
}

function checkArgs(c: CommandShape, args: string[]): void {
  const fixed = c.args.filter((a) => !a.many);
  const many = c.args.find((a) => a.many);
  const needed = c.args.filter((a) => !a.optional).length;
  if (args.length < needed) {
    const missing = c.args[args.length]!;
    throw new UsageError(`${name(c)} needs ${article(missing.name)}: ${usageLine(c)}`);
  }
  if (!many && args.length > fixed.length)
    throw new UsageError(`${name(c)} takes no argument ${args[fixed.length]} (${seeHelp(c)})`);
}

const article = (what: string) => (/^[aeiou]/i.test(what) ? `an ${what}` : `a ${what}`);

export function usageLine(c: CommandShape): string {
  const args = c.args.map((a) => {
    const shown = `<${a.name}>${a.many ? '...' : ''}`;
    return a.optional ? `[${shown}]` : shown;
  });
  const opts = Object.entries(c.options)
    .filter(([k]) => k !== 'help')
    .map(([k, o]) => {
      const shown = `--${k}${o.value ? ` ${o.choices ? o.choices.join('|') : o.value}` : ''}`;
      return o.required ? shown : `[${shown}]`;
    });
  return [name(c), ...args, ...opts].join(' ');
}

/** `dudao <command> --help`: its usage line, what it does, and each option. */
export function commandHelp(c: CommandShape): string {
  const opts = Object.entries(c.options).map(([k, o]) => {
    const shown = `--${k}${o.value ? ` ${o.choices ? o.choices.join('|') : o.value}` : ''}`;
    return `  ${shown.padEnd(28)} ${o.help}`;
  });
  return [`usage: ${usageLine(c)}`, '', c.summary, ...(c.details ?? []), '', 'options:', ...opts, ''].join('\n');
}

/** `dudao --help` (or `dudao org --help`): every command under the words given, one line each. */
export function overviewHelp(commands: CommandShape[], words: string[] = []): string {
  const shown = commands.filter((c) => words.every((w, i) => c.words[i] === w));
  const lines = shown.map((c) => `  ${c.words.join(' ').padEnd(22)} ${c.summary}`);
  return [
    `usage: dudao ${words.length ? `${words.join(' ')} ` : ''}<command> [options]`,
    '',
    ...lines,
    '',
    "`dudao <command> --help` shows a command's arguments and options; `dudao --version` the version.",
    'Exit codes: 0 done, 1 the command failed (a file, the database, a refusal), 2 a wrong command line.',
    'Environment: DATABASE_URL (default file:./data/dudao.db), DUDAO_REMINDER_RULES (sweep),',
    '             DUDAO_DEFAULT_LOCALE, DUDAO_DEFAULT_TIMEZONE (org import: new members), LOG_LEVEL=debug',
    '             (the stack of an unexpected error). Details: docs/operations.md, "Operator CLI".',
    '',
  ].join('\n');
}
