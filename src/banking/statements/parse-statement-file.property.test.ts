// Mutations of real statement files never crash the reader: each mutant is either read into
// a well-formed model or refused with a StatementParseError that says where (a line or an
// element path), or that it is the whole file that cannot be read.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test-support/fixtures.js';
import { parseStatementFile } from './parse-statement-file.js';
import { StatementParseError } from './statement-parse-error.js';
import { statementWarningCodes } from './statement-warnings.js';

function filesIn(directory: string, pattern: RegExp): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => pattern.test(name))
    .map((name) => path.join(directory, name));
}

const ownFixtures = fileURLToPath(new URL('../../../test/fixtures/bank-statements/', import.meta.url));
const files = [...filesIn(ownFixtures, /\.(sta|xml)$/), ...filesIn(fixturePath('banking', 'mt940'), /\.sta$/), ...filesIn(fixturePath('banking', 'camt'), /\.xml$/)];
const mt940Files = files.filter((file) => file.endsWith('.sta')).map((file) => readFileSync(file, 'latin1'));
const camtFiles = files.filter((file) => file.endsWith('.xml')).map((file) => readFileSync(file, 'utf8'));

/** Characters that mean something to one of the formats, and some that mean nothing. */
const meaningful = fc.constantFrom(':', '-', '{', '}', '/', '?', ',', '.', '\n', '\r', ' ', '0', '9', 'C', 'D', 'R', 'N', 'S', 'F', '<', '>', '&', ';', '"', '\u0000', 'ß', '€');
const fragment = fc.oneof(meaningful, fc.string({ maxLength: 8 }), fc.constantFrom(':61:', ':86:', ':20:', ':62F:', '-}', '{4:', '</Ntry>', '<Amt Ccy="EUR">', '&amp;', '?20', '0000000000000000000'));

type Mutation = { kind: 'insert' | 'replace' | 'delete' | 'deleteLine' | 'repeatLine' | 'truncate'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('insert', 'replace', 'delete', 'deleteLine', 'repeatLine', 'truncate'),
  at: fc.nat(),
  text: fragment,
});

function mutate(text: string, change: Mutation): string {
  const at = text.length === 0 ? 0 : change.at % text.length;
  const lines = text.split('\n');
  const line = lines.length === 0 ? 0 : change.at % lines.length;
  switch (change.kind) {
    case 'insert':
      return text.slice(0, at) + change.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + change.text + text.slice(at + Math.max(1, change.text.length));
    case 'delete':
      return text.slice(0, at) + text.slice(at + 1 + (change.at % 7));
    case 'deleteLine':
      return [...lines.slice(0, line), ...lines.slice(line + 1)].join('\n');
    case 'repeatLine':
      return [...lines.slice(0, line + 1), ...lines.slice(line)].join('\n');
    case 'truncate':
      return text.slice(0, at);
  }
}

const decimal = /^-?\d+(?:\.\d+)?$/;

/** Read or refused at a place; anything else (a TypeError, a RangeError, a hang) fails. */
function readOrRefusedAtAPlace(content: string): void {
  try {
    const parsed = parseStatementFile(content);
    expect(parsed.statements.length).toBeGreaterThan(0);
    for (const statement of parsed.statements) {
      for (const entry of statement.entries) expect(entry.amount).toMatch(decimal);
      for (const balance of [statement.opening, statement.closing]) if (balance) expect(balance.amount).toMatch(decimal);
      expect(statement.consistent).toBe(statement.inconsistency === null);
    }
    for (const warning of parsed.warnings) expect(statementWarningCodes).toContain(warning.code);
  } catch (error) {
    if (!(error instanceof StatementParseError)) throw error;
    const located = error.location.line !== undefined || error.location.path !== undefined;
    if (!located) expect(error.detail).toMatch(/^the (file|XML|document) /);
  }
}

describe('mutated real statement files', () => {
  it('finds the real files', () => {
    expect(mt940Files.length).toBeGreaterThanOrEqual(20);
    expect(camtFiles.length).toBeGreaterThanOrEqual(5);
  });

  it('MT940/MT942: every mutant is read or refused at its line', () => {
    fc.assert(
      fc.property(fc.constantFrom(...mt940Files), fc.array(mutation, { minLength: 1, maxLength: 4 }), (file, changes) => {
        readOrRefusedAtAPlace(changes.reduce(mutate, file));
      }),
      { numRuns: 600 },
    );
  });

  it('camt.052/053/054: every mutant is read or refused at its element or line', () => {
    fc.assert(
      fc.property(fc.constantFrom(...camtFiles), fc.array(mutation, { minLength: 1, maxLength: 4 }), (file, changes) => {
        readOrRefusedAtAPlace(changes.reduce(mutate, file));
      }),
      { numRuns: 300 },
    );
  });
});
