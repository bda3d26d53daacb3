// PostgreSQL reports a row that a unique index refuses with SQLSTATE 23505 (unique_violation);
// both the server and PGlite say so through node-postgres's `code`.
const uniqueViolation = '23505';

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === uniqueViolation;
}

// SQLSTATE 57014 (query_canceled: statement_timeout), 55P03 (lock_not_available:
// lock_timeout), 40P01 (deadlock_detected) and 25P03 (idle_in_transaction_session_timeout):
// the statement gave up and its transaction rolled back, so a retry is safe.
const gaveUp = new Set(['57014', '55P03', '40P01', '25P03']);

export function isTimeoutOrLockFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && gaveUp.has(String((error as { code?: unknown }).code));
}
