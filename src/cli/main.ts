// Operator CLI (`npx dudao`). Reads DATABASE_URL (default file:./data/dudao.db) and never needs platform
// secrets. A failure is one sentence naming what to fix; the stack of an unexpected one only with
// LOG_LEVEL=debug. The process ends by itself once the database is closed: nothing calls process.exit.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { commandHelp, findCommand, overviewHelp, parseCommandLine } from './args.js';
import { COMMANDS } from './commands.js';
import { DEFAULT_DATABASE_URL, databaseError, openCliDatabase } from './database.js';
import { fileError } from './files.js';
import { CliError, EXIT, type Io, UsageError } from './io.js';

const STD_IO: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function runCli(argv: string[], io: Io = STD_IO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  try {
    return await dispatch(argv, io, env, url);
  } catch (e) {
    return await reportFailure(e, io, env, url);
  }
}

async function dispatch(argv: string[], io: Io, env: NodeJS.ProcessEnv, url: string): Promise<number> {
  if (argv.length === 0) {
    io.err(overviewHelp(COMMANDS));
    return EXIT.usage;
  }
  if (argv.some((a) => a === '--version' || a.startsWith('--version='))) {
    checkVersionFlag(argv);
    io.out(`dudao ${programVersion()}\n`);
    return EXIT.ok;
  }
  const helpAt = argv.findIndex((a) => a === '--help' || a === '-h');
  if (helpAt !== -1) {
    io.out(helpFor(argv.slice(0, helpAt)));
    return EXIT.ok;
  }
  const command = findCommand(argv, COMMANDS);
  const { args, options } = parseCommandLine(command, argv.slice(command.words.length));
  const base = { args, options, io, env, now: new Date(), url };
  if (command.database === 'none') return await command.run(base);
  const db = await openCliDatabase(url, command.database === 'create');
  try {
    return await command.run({ ...base, db });
  } finally {
    await db.close();
  }
}

/** `--version` prints dudao's version everywhere; the versions of a template or configuration have their own options. */
function checkVersionFlag(argv: string[]): void {
  const at = argv.findIndex((a) => a === '--version' || a.startsWith('--version='));
  const value = argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
  if (value === undefined || value.startsWith('-')) return;
  const instead =
    argv[0] === 'template'
      ? '--template-version'
      : argv[0] === 'eval' && argv[1] === 'config'
        ? '--config-version'
        : null;
  throw new UsageError(
    instead
      ? `--version prints dudao's version; to pick a version here use ${instead} ${value}`
      : `--version takes no value (it prints dudao's version)`,
  );
}

function programVersion(): string {
  // src/cli and dist/cli are both two folders below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The help of the command named before `--help`, of a group (`dudao org --help`), or of them all. */
function helpFor(words: string[]): string {
  const exact = COMMANDS.find((c) => c.words.length === words.length && c.words.every((w, i) => w === words[i]));
  if (exact) return commandHelp(exact);
  for (let n = words.length; n > 0; n--) {
    const prefix = words.slice(0, n);
    if (COMMANDS.some((c) => prefix.every((w, i) => c.words[i] === w))) return overviewHelp(COMMANDS, prefix);
  }
  return overviewHelp(COMMANDS);
}

/** One sentence (or, for an invalid file, its problems by path) and an exit code; the stack only in debug. */
async function reportFailure(e: unknown, io: Io, env: NodeJS.ProcessEnv, url: string): Promise<number> {
  // Imported here: whatever threw these has loaded them already, and a command that succeeds needs none.
  const [{ ConfigError }, { ValidationError }, { maskSecrets }] = await Promise.all([
    import('../config/env.js'),
    import('../core/shared/validation.js'),
    import('../logging.js'),
  ]);
  const debug = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  const stack = () => {
    if (debug && e instanceof Error && e.stack) io.err(`${maskSecrets(e.stack)}\n`);
  };
  if (e instanceof ValidationError || e instanceof ConfigError) {
    const what = e instanceof ValidationError ? 'invalid file' : 'invalid settings';
    io.err(`${what}, nothing was changed:\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return EXIT.failed;
  }
  const known =
    e instanceof CliError
      ? e
      : (databaseError(e, url) ??
        ((e as NodeJS.ErrnoException | undefined)?.path ? fileError(e, (e as NodeJS.ErrnoException).path!) : null));
  if (known instanceof CliError) {
    stack();
    io.err(`${known.message}\n`);
    return known.exitCode;
  }
  const first = maskSecrets(String((e as Error | undefined)?.message ?? e)).split('\n')[0];
  io.err(`unexpected error: ${first}${debug ? '' : ' (LOG_LEVEL=debug prints the details)'}\n`);
  stack();
  return EXIT.failed;
}

if (process.argv[1] && /cli[\\/]main\.[jt]s$|bin[\\/]dudao(\.js)?$/.test(process.argv[1])) {
  // A command is short. V8 would otherwise recompile the hot parts of the migration engine's and Prisma's
  // WebAssembly with its optimising tier in background threads, and Node waits for those before the process
  // exits: about a second of CPU after the work is done. The baseline compiler alone serves a command well.
  setFlagsFromString('--liftoff-only');
  process.exitCode = await runCli(process.argv.slice(2));
}
