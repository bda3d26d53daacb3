import type { Statement } from './statements/statement.js';
import { compactIban } from './statement-text.js';

/**
 * Why a statement must wait for a person, or null, in this order: its balances contradict its
 * entries, it is of another account, it is in another currency, it names no currency at all.
 */
export function holdReason(statement: Statement, expectedAccount: string | null, expectedCurrency: string | null): string | null {
  if (!statement.consistent) return statement.inconsistency ?? 'the balances do not agree with the entries';
  if (expectedAccount && compactIban(statement.account) !== compactIban(expectedAccount)) {
    return `the statement is of account ${statement.account ?? '(none)'}, not ${expectedAccount}`;
  }
  const currency = statement.currency ?? statement.entries[0]?.currency ?? null;
  if (expectedCurrency && currency && currency !== expectedCurrency) return `the statement is in ${currency}, the account in ${expectedCurrency}`;
  if (!currency) return 'the statement says in no currency';
  return null;
}
