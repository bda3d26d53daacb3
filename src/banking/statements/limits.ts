// Limits on what a statement file may contain. A real bank file is far below each; past
// them the file is refused rather than read slowly or into memory without bound.

/** A year of daily statements of a busy account is a few MiB in either format. */
export const statementFileBytesMax = 20 * 1024 * 1024;

export const statementsPerFileMax = 10_000;

export const entriesPerStatementMax = 50_000;

/** SWIFT lines are at most 65 characters; some bank exports put a whole `:86:` on one line. */
export const mt940LineCharsMax = 1_000;

/** Continuation lines of one MT940 field (`:86:` has 6 in SWIFT, German banks use more). */
export const mt940FieldLinesMax = 100;

/** A camt.053 document nests about 15 deep; far deeper is an attack on the parser. */
export const xmlDepthMax = 64;

/** Warnings kept for one file; past it they are counted, not kept. */
export const statementWarningsMax = 200;

/** Bank header lines (not fields) skipped between two messages of a file. */
export const mt940HeaderLinesMax = 10;
