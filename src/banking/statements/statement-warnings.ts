// What a reader accepted although it was not as the format says. A file is read when a person
// could read it without guessing; each such place is reported with a stable code and where
// it is, so that an operator sees what the bank sent and can ask the bank to mend it.
import { statementWarningsMax } from './limits.js';

export const statementWarningCodes = [
  /** Lines that are not fields (bank header lines such as "ABNANL2A", "940") before or between messages. */
  'header_line_skipped',
  /** Continuation lines under a field that has one line (a balance, :28C:, :34F:, :90D:). */
  'continuation_line_ignored',
  /** An amount written without its decimal comma ("100" for "100,"). */
  'amount_without_decimal_comma',
  /** An amount padded with leading zeros beyond the 15 characters of SWIFT 15d. */
  'amount_zero_padded',
  /** An entry of zero. */
  'zero_amount',
  /** A :61: without its transaction type (N, S or F and three characters). */
  'transaction_type_missing',
  /** A day past the end of its month (30 February), read as the month's last day. */
  'date_not_in_calendar',
  /** MT942 :13D: that is not YYMMDDHHMM and a UTC offset; it is left out. */
  'date_time_unreadable',
  /** Lines longer than SWIFT's 65 characters. */
  'line_longer_than_swift',
  /** The file is not UTF-8 and was read as Windows-1252 (Latin-1). */
  'character_set_windows_1252',
  /** A CAMT entry that is not booked (pending, information): it is not an entry of the statement. */
  'entry_not_booked',
  /** More warnings than are kept; the count of those left out. */
  'warnings_truncated',
] as const;

export type StatementWarningCode = (typeof statementWarningCodes)[number];

export interface StatementWarning {
  code: StatementWarningCode;
  /** MT940: 1-based line of the file; null for the whole file or a CAMT path. */
  line: number | null;
  /** CAMT: the element path. */
  path: string | null;
  message: string;
}

/** A place to put warnings while reading, bounded so that a file of a million odd lines
 * cannot grow the report without limit. */
export class StatementWarnings {
  private readonly kept: StatementWarning[] = [];
  private dropped = 0;

  add(code: StatementWarningCode, where: { line?: number; path?: string }, message: string): void {
    if (this.kept.length >= statementWarningsMax) {
      this.dropped += 1;
      return;
    }
    this.kept.push({ code, line: where.line ?? null, path: where.path ?? null, message });
  }

  /** In file order: whole-file warnings first, then by line (a stable sort keeps the order of
   * CAMT paths and of warnings on one line). */
  list(): StatementWarning[] {
    const ordered = [...this.kept].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (this.dropped === 0) return ordered;
    return [...ordered, { code: 'warnings_truncated', line: null, path: null, message: `${this.dropped} more warnings were left out` }];
  }
}

/** What a value reader tells of a value it accepted; the caller knows the place. */
export type NoteUnusual = (code: StatementWarningCode, message: string) => void;
