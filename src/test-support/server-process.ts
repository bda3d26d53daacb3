// Starts Outlay as a real child process (`npm start`'s entry, run from the sources), so a test
// can run several server processes on one PostgreSQL database, kill one, or stop one with
// SIGTERM, as an operator's deployment would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../shared/project-root.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr and stdout so far. */
  output(): string;
  /** SIGTERM, then waits for the exit; returns the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Past this a process that has not said where it listens counts as failed to start. */
export const processStartWaitMs = 120_000;

/**
 * Unless env names one, the process gets a data folder of its own, removed when it exits.
 * `startWaitMs` is for callers that start processes under a load of their own making.
 */
export async function startServerProcess(env: Record<string, string>, { startWaitMs = processStartWaitMs }: { startWaitMs?: number } = {}): Promise<ServerProcess> {
  const dataDir = env.OUTLAY_DATA_DIR ? null : mkdtempSync(path.join(tmpdir(), 'outlay-process-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'main.ts')], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      ...(dataDir ? { OUTLAY_DATA_DIR: dataDir } : {}),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      OUTLAY_SMTP: '0',
      OUTLAY_ISO8583: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // The exit counts once the folder is gone too. A folder that cannot be removed is left in
  // the temporary folder rather than failing the test that stopped the process.
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (!dataDir) return resolve(code);
      void rm(dataDir, { recursive: true, force: true })
        .catch(() => undefined)
        .then(() => resolve(code));
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Killed, not left running (and holding its folder and port) after the test gave up on it.
      child.kill('SIGKILL');
      reject(new Error(`the server process did not start within ${startWaitMs} ms:\n${output}`));
    }, startWaitMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /Outlay is running at (\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server process exited with ${code} before it started:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
