// Files named on the command line, read and written with one-sentence errors (missing, a folder, too big,
// a folder that does not exist), and written whole or not at all.
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DocFormat, formatFromContent } from '../core/templates/service.js';
import { type DbContext, str } from './context.js';
import { CliError } from './io.js';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** The text of a file to import; refused before reading when it is larger than `maxBytes`. */
export function readInputFile(path: string, maxBytes?: number): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CliError(`${path} is a folder: name the file to read`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw fileError(e, path);
  }
  if (maxBytes !== undefined && size > maxBytes)
    throw new CliError(
      `${path} is ${mb(size)}, over the ${mb(maxBytes)} a file may have here: split it into several imports`,
    );
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fileError(e, path);
  }
}

/** Writes `--out FILE` through a temporary file beside it, so a failed write leaves no half file. */
export function writeOutputFile(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw fileError(e, path, true);
  }
}

export function fileError(e: unknown, path: string, writing = false): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new CliError(
      writing ? `cannot write ${path}: folder ${dirname(path)} does not exist` : `file not found: ${path}`,
    );
  if (code === 'EISDIR') return new CliError(`${path} is a folder: name a file`);
  if (code === 'EACCES' || code === 'EPERM')
    return new CliError(`permission denied: ${writing ? 'cannot write' : 'cannot read'} ${path}`);
  if (code === 'ENOTDIR') return new CliError(`${path}: a part of the path is a file, not a folder`);
  return e;
}

/**
 * A versioned document read for import (a template, the evaluation configuration): its text, within `maxBytes`,
 * and its format as named by --format or read from its content.
 */
export function readVersionedFile(ctx: DbContext, maxBytes: number): { text: string; format: DocFormat } {
  const text = readInputFile(ctx.args[0]!, maxBytes);
  return { text, format: (str(ctx.options.format) as DocFormat | undefined) ?? formatFromContent(text) };
}

/** What an import of a versioned document says: the new version, or that the file equals the newest one. */
export function versionLine(what: string, stored: { version: number; unchanged: boolean }, after = ''): string {
  return stored.unchanged
    ? `${what} is unchanged: the file equals version ${stored.version}\n`
    : `imported ${what} as version ${stored.version}${after}\n`;
}
