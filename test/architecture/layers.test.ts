// The layer rules of .dependency-cruiser.cjs hold on the real tree, and each of them catches
// the wrong import it is there for: a small tree with one such import is checked with the
// same configuration and must be refused under that rule's name.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/shared/project-root.js';

const run = promisify(execFile);
const depcruise = path.join(projectRoot, 'node_modules', '.bin', 'depcruise');
const configFile = path.join(projectRoot, '.dependency-cruiser.cjs');
const scratch: string[] = [];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs dependency-cruiser with the project's rules on `src` of `cwd`; its violations. */
async function violationsIn(cwd: string): Promise<Violation[]> {
  const { stdout } = await run(depcruise, ['src', '--config', configFile, '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string }) => {
    // dependency-cruiser exits non-zero when it finds violations; the report is still on stdout.
    if (typeof error.stdout === 'string' && error.stdout.startsWith('{')) return { stdout: error.stdout };
    throw error;
  });
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/** A throw-away tree of TypeScript files, path -> source. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'outlay-layers-'));
  scratch.push(root);
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true } }));
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), source);
  }
  return root;
}

afterAll(() => {
  for (const root of scratch) rmSync(root, { recursive: true, force: true });
});

describe('layers that run one way', () => {
  it('hold on the real tree with no exception', async () => {
    expect(await violationsIn(projectRoot)).toEqual([]);
  });

  it.each([
    ['base-imports-only-base', { 'src/money/money.ts': "import { x } from '../cards/cards.service.ts';\nexport const y = x;\n", 'src/cards/cards.service.ts': 'export const x = 1;\n' }],
    ['platform-imports-base-and-platform', { 'src/http/app.ts': "import { x } from '../cards/cards.routes.ts';\nexport const y = x;\n", 'src/cards/cards.routes.ts': 'export const x = 1;\n' }],
    ['features-never-import-the-root', { 'src/cards/cards.service.ts': "import { x } from '../server/server.ts';\nexport const y = x;\n", 'src/server/server.ts': 'export const x = 1;\n' }],
    ['test-support-only-in-tests', { 'src/cards/cards.service.ts': "import { x } from '../test-support/server.ts';\nexport const y = x;\n", 'src/test-support/server.ts': 'export const x = 1;\n' }],
    ['repositories-stay-in-their-module', { 'src/receipts/receipts.service.ts': "import { x } from '../cards/cards.repository.ts';\nexport const y = x;\n", 'src/cards/cards.repository.ts': 'export const x = 1;\n' }],
    [
      'no-cycle-between-folders',
      {
        'src/cards/cards.service.ts': "import { x } from '../ledger/ledger.service.ts';\nexport const y = x;\n",
        'src/ledger/ledger.service.ts': "import { z } from '../cards/authorize.ts';\nexport const x = z;\n",
        'src/cards/authorize.ts': 'export const z = 1;\n',
      },
    ],
  ] as const)('refuse a wrong import under %s', async (rule, files) => {
    const names = (await violationsIn(tree(files))).map((violation) => violation.rule.name);
    expect(names).toContain(rule);
  });

  it('let a feature import another feature, the platform and the base', async () => {
    const files = {
      'src/receipts/receipts.service.ts': "import { a } from '../cards/cards.service.ts';\nimport { b } from '../http/schemas.ts';\nimport { c } from '../money/money.ts';\nexport const y = a + b + c;\n",
      'src/cards/cards.service.ts': "import { c } from '../money/money.ts';\nexport const a = c;\n",
      'src/http/schemas.ts': "import { c } from '../money/money.ts';\nexport const b = c;\n",
      'src/money/money.ts': 'export const c = 1;\n',
    };
    expect(await violationsIn(tree(files))).toEqual([]);
  });
});
