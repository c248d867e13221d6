// `dudao outbox list-failed` and `dudao outbox retry`: failed rows are kept with their reason until an
// operator puts them back.
import { createRepos } from '../store/index.js';
import type { DbContext } from './context.js';
import { CliError, printJson, printTable, UsageError } from './io.js';

const LIST_FAILED_LIMIT = 500;

export async function outboxListFailed({ db, options, io }: DbContext): Promise<number> {
  const { outbox } = createRepos(db);
  const [rows, total] = await Promise.all([outbox.listFailed(LIST_FAILED_LIMIT), outbox.failedCount()]);
  if (options.json) {
    printJson(io, {
      total,
      messages: rows.map((r) => ({
        id: r.id,
        platform: r.platform,
        target: `${r.target.kind}:${r.target.id}`,
        attempts: r.attempts,
        queuedAt: r.createdAt.toISOString(),
        reason: r.lastError ?? null,
      })),
    });
    return 0;
  }
  if (rows.length)
    printTable(
      io,
      ['ID', 'PLATFORM', 'TARGET', 'ATTEMPTS', 'QUEUED AT', 'REASON'],
      rows.map((r) => [
        String(r.id),
        r.platform,
        `${r.target.kind}:${r.target.id}`,
        String(r.attempts),
        r.createdAt.toISOString(),
        r.lastError ?? '',
      ]),
      'no failed messages',
    );
  io.out(`${total} failed message(s)${total > rows.length ? ` (the first ${rows.length} shown)` : ''}\n`);
  return 0;
}

export async function outboxRetry({ db, args, options, io, now }: DbContext): Promise<number> {
  if (options.all && args.length)
    throw new UsageError('dudao outbox retry takes either --all or message ids, not both');
  if (!options.all && !args.length)
    throw new UsageError('dudao outbox retry needs message ids or --all: dudao outbox retry <id>... | --all');
  const bad = args.find((a) => !/^[1-9]\d*$/.test(a));
  if (bad) throw new UsageError(`message ids are whole numbers such as 17, not ${bad}`);
  const wanted = options.all ? null : [...new Set(args.map(Number))];
  const n = await createRepos(db).outbox.retryFailed(wanted, now);
  io.out(`re-queued ${n} failed message(s)\n`);
  if (wanted && n < wanted.length)
    throw new CliError(
      `${wanted.length - n} of the ids given are not failed messages (unknown, pending or sent): see \`dudao outbox list-failed\``,
    );
  return 0;
}
