// What the commands of src/cli share: where they write, the configuration, and a migrated
// database opened for the command's one piece of work.
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export interface CommandContext {
  io: Io;
  config: () => Config;
  withDatabase: <T>(config: Config, work: (database: Database) => Promise<T>) => Promise<T>;
}

/** Thrown by a command to end with this exit code after printing what it had to say. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
