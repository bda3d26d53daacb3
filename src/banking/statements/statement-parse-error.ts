// A statement file that cannot be read is refused whole: a bank file that is half
// understood would put a guess into the wallet. The message names where the problem is so
// that an operator can open the file at that place and show it to the bank.
import { DomainError } from '../../shared/errors.js';

export interface StatementErrorLocation {
  /** 1-based position of the statement in the file. */
  statementIndex?: number;
  /** How the statement names itself, e.g. ":20: ABC" or "Id 253EUR". */
  statementLabel?: string | null;
  /** MT940: 1-based line of the file. */
  line?: number;
  /** CAMT: the element path, e.g. "Document/BkToCstmrStmt/Stmt[2]/Ntry[3]/Amt". */
  path?: string;
}

function describeLocation(location: StatementErrorLocation): string {
  const parts: string[] = [];
  if (location.statementIndex !== undefined) {
    parts.push(`statement ${location.statementIndex}${location.statementLabel ? ` (${location.statementLabel})` : ''}`);
  }
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.path !== undefined) parts.push(location.path);
  return parts.join(', ');
}

/** Extends DomainError with the stable code `validation_failed`, so that the CLI and the
 * HTTP layer report it like any other refused input; `field` carries the location. */
export class StatementParseError extends DomainError {
  constructor(
    readonly location: StatementErrorLocation,
    readonly detail: string,
  ) {
    const where = describeLocation(location);
    super('validation_failed', where ? `${where}: ${detail}` : detail, where || undefined);
    this.name = 'StatementParseError';
  }

  /** The same problem, placed inside a statement once the statement is known. */
  inStatement(statementIndex: number, statementLabel: string | null): StatementParseError {
    if (this.location.statementIndex !== undefined) return this;
    return new StatementParseError({ ...this.location, statementIndex, statementLabel }, this.detail);
  }
}

/** A problem found in a value whose place (line or path) the caller knows. */
export class StatementValueError extends Error {}
