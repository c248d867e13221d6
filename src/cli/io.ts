// What every command shares: where it writes, the one-line errors it may stop with, and list output (a
// table with a header for people, JSON for scripts).

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Exit codes: 0 done, 1 the command ran and failed (a file, the database, a refusal), 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A failure told to the operator in one sentence that names what to fix; never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** The command line itself is wrong (unknown command or option, missing value, bad argument): exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

// East Asian wide characters take two columns in a terminal; names here are often Chinese.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

/** One line per row, columns aligned under a header; tabs and line breaks in a cell become spaces. */
export function printTable(io: Io, headers: string[], rows: string[][], empty: string): void {
  if (rows.length === 0) {
    io.out(`${empty}\n`);
    return;
  }
  const cells = rows.map((r) => r.map((c) => c.replace(/\s+/g, ' ')));
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - displayWidth(c))))
      .join('  ')
      .trimEnd();
  io.out(`${[line(headers), ...cells.map(line)].join('\n')}\n`);
}

export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
