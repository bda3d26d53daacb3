// PostgreSQL reports a row that a unique index refuses with SQLSTATE 23505 (unique_violation);
// both the server and PGlite say so through node-postgres's `code`.
const uniqueViolation = '23505';

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === uniqueViolation;
}
