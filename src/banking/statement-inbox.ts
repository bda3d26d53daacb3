// A watched folder for the top-up account's statements, where a bank's file transfer (EBICS,
// SFTP) drops them. Each new file is claimed by renaming it into processing/ (only one server
// process wins the rename), imported as the platform's, and moved to done/ or, with a
// .error.txt beside it, to failed/. Files whose names start with "." are still being written.
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { systemActor } from '../auth/actor.js';
import type { Clock } from '../shared/clock.js';
import { ensurePlatformCompany } from './platform-company.service.js';
import { importStatementFile, type BankingDeps, type ImportSummary } from './statement-import.service.js';

/** How often the folder is looked at. */
export const inboxPollMs = 10_000;
/** Files taken per look, at most. */
export const inboxFilesPerPollMax = 20;
/** A file in processing/ this long was left by a process that died: it goes back to the inbox. */
export const inboxStaleMs = 10 * 60_000;

export interface InboxLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Imports what is in the folder now; returns what each file gave. */
export async function importInbox(deps: BankingDeps, folder: string, logger: InboxLogger, now: Date): Promise<{ file: string; summary?: ImportSummary; error?: string }[]> {
  for (const sub of ['processing', 'done', 'failed']) await mkdir(path.join(folder, sub), { recursive: true });
  for (const name of await readdir(path.join(folder, 'processing'))) {
    const left = path.join(folder, 'processing', name);
    if (now.getTime() - (await stat(left)).mtimeMs > inboxStaleMs) await rename(left, path.join(folder, name)).catch(() => undefined);
  }
  const names = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.isFile() && !entry.name.startsWith('.')).map((entry) => entry.name).sort().slice(0, inboxFilesPerPollMax);
  const platform = await ensurePlatformCompany(deps.db, deps.topUpAccount.currency);
  const outcomes = [];
  for (const name of names) {
    const claimed = path.join(folder, 'processing', name);
    try {
      await rename(path.join(folder, name), claimed);
    } catch {
      continue; // another process took it
    }
    try {
      if ((await stat(claimed)).size === 0) throw new Error('the file is empty');
      const summary = await importStatementFile(deps, { companyId: platform.id, isPlatform: true }, { bytes: await readFile(claimed), fileName: name, via: 'inbox' }, { ...systemActor, actorId: 'inbox' }, now);
      await rename(claimed, path.join(folder, 'done', name));
      logger.info({ file: name, statements: summary.statements.length, duplicateFile: summary.duplicateFile }, 'bank statement imported from the inbox');
      outcomes.push({ file: name, summary });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await rename(claimed, path.join(folder, 'failed', name)).catch(() => undefined);
      await writeFile(path.join(folder, 'failed', `${name}.error.txt`), `${message}\n`).catch(() => undefined);
      logger.error({ file: name, err: message }, 'bank statement in the inbox could not be imported');
      outcomes.push({ file: name, error: message });
    }
  }
  return outcomes;
}

/** Looks at the folder every inboxPollMs until stopped, reading the clock once per look. */
export function watchStatementInbox(deps: BankingDeps, folder: string, logger: InboxLogger, clock: Clock): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = importInbox(deps, folder, logger, clock.now())
      .catch((error: unknown) => logger.error({ err: error }, 'bank statement inbox failed'))
      .finally(() => {
        running = null;
      });
  }, inboxPollMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
