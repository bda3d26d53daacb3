// The Debian programs the tests check Outlay's output with: xmllint validates ISO 20022
// files against their schemas, hledger reads exported journals, chromium runs the browser
// tests. `npm test` installs them first (scripts/ensure-test-tools.sh), so a missing one is
// a broken setup: the test fails, naming the program and how to install it. It never skips.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const debianPackages = { xmllint: 'libxml2-utils', hledger: 'hledger', chromium: 'chromium' } as const;

export type TestTool = keyof typeof debianPackages;

export class MissingTestToolError extends Error {
  constructor(tool: TestTool, where: string) {
    super(
      `${tool} is missing (${where}), and the tests need it. \`npm test\` installs it first with ` +
        `scripts/ensure-test-tools.sh when run as root; or install it: sudo apt-get install -y --no-install-recommends ${debianPackages[tool]}`,
    );
    this.name = 'MissingTestToolError';
  }
}

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs xmllint or hledger and returns its exit status and output, whatever the status. */
export function runTestTool(tool: 'xmllint' | 'hledger', args: readonly string[]): ToolRun {
  const run = spawnSync(tool, args, { encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new MissingTestToolError(tool, 'not on PATH');
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs xmllint or hledger and returns what it printed; fails unless it exits with 0. */
export function testToolOutput(tool: 'xmllint' | 'hledger', args: readonly string[]): string {
  const run = runTestTool(tool, args);
  if (run.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited with ${run.status}:\n${run.stderr}${run.stdout}`);
  return run.stdout;
}

/** Chromium for the browser tests: CHROMIUM_PATH when set (any Chromium or Chrome), else Debian's. */
export function chromiumExecutable(): string {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    accessSync(executable, constants.X_OK);
  } catch {
    throw new MissingTestToolError('chromium', `no program at ${executable}; CHROMIUM_PATH may name another Chromium or Chrome`);
  }
  return executable;
}
