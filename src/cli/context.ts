// What a command is given when it runs, and how a command is declared (see src/cli/commands.ts).
import type { CommandShape, OptionValues } from './args.js';
import type { MigratedDatabase } from './database.js';
import type { Io } from './io.js';

export interface Context {
  args: string[];
  options: OptionValues;
  io: Io;
  env: NodeJS.ProcessEnv;
  now: Date;
  url: string;
}

export interface DbContext extends Context {
  db: MigratedDatabase;
}

export type CommandSpec = CommandShape &
  (
    | { database: 'none'; run(ctx: Context): Promise<number> }
    /** `create`: may create a missing SQLite database (commands that set one up); `open`: refuses. */
    | { database: 'open' | 'create'; run(ctx: DbContext): Promise<number> }
  );

export const str = (v: string | true | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
