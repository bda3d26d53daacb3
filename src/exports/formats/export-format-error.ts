// An export that cannot be written as its format demands is refused whole: a file that an
// accountant imports half right is worse than none. The message names the voucher, entry
// or account at fault so that the bookkeeper can fix it (a missing account name, a period
// that spans two fiscal years) and export again.
import { DomainError } from '../../shared/errors.js';

export class ExportFormatError extends DomainError {
  constructor(
    /** The format that refused, e.g. "DATEV" or "SIE". */
    readonly format: string,
    /** Where, e.g. "voucher 3" or "account 6110"; null for the export as a whole. */
    readonly where: string | null,
    readonly detail: string,
  ) {
    super('validation_failed', `${format}: ${where ? `${where}: ` : ''}${detail}`, where ?? undefined);
    this.name = 'ExportFormatError';
  }
}
