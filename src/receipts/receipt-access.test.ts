import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.js';
import type { Permission } from '../auth/permissions.js';
import { listedOwner, visibleReceipt, writableReceipt, writableTransaction } from './receipt-access.js';
import type { CardTransactionRow, ReceiptRow } from './receipts.repository.js';

const person = (userId: string, permissions: Permission[] = [], companyId = 'co_a'): Principal => ({ kind: 'user', companyId, userId, sessionId: 'ses', roles: [], permissions: new Set(permissions) });
const apiKey = (permissions: Permission[]): Principal => ({ kind: 'api_key', companyId: 'co_a', apiKeyId: 'key', permissions: new Set(permissions) });

const receipt = { company_id: 'co_a', id: 'rcp_1', user_id: 'dana' } as ReceiptRow;
const transaction = { company_id: 'co_a', id: 'ctx_1', user_id: 'dana' } as CardTransactionRow;

/** What happened: the row back, or the code of the error thrown. */
function outcome(check: () => unknown): string {
  try {
    check();
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('who sees and changes a receipt', () => {
  // One row a principal: seeing it, changing it. Another company's never sees it at all.
  it.each([
    ['its owner', person('dana'), 'ok', 'ok'],
    ['a colleague', person('omar'), 'not_found', 'not_found'],
    ['a colleague with receipts:read', person('omar', ['receipts:read']), 'ok', 'forbidden'],
    ['a colleague with receipts:write', person('omar', ['receipts:write']), 'ok', 'ok'],
    ['an API key with receipts:read', apiKey(['receipts:read']), 'ok', 'forbidden'],
    ['an API key without receipt permissions', apiKey([]), 'not_found', 'not_found'],
    ['someone of another company with receipts:write', person('dana', ['receipts:write'], 'co_b'), 'not_found', 'not_found'],
  ] as const)('%s', (_who, principal, sees, changes) => {
    expect([outcome(() => visibleReceipt(principal, receipt)), outcome(() => writableReceipt(principal, receipt))]).toEqual([sees, changes]);
  });

  it('answers "not found" for a receipt that does not exist', () => {
    expect(outcome(() => visibleReceipt(person('dana', ['receipts:write']), undefined))).toBe('not_found');
  });
});

describe('who attaches receipts to a card transaction', () => {
  it.each([
    ['its cardholder', person('dana'), 'ok'],
    ['a colleague', person('omar'), 'not_found'],
    ['a colleague with transactions:read', person('omar', ['transactions:read']), 'forbidden'],
    ['a colleague with receipts:write', person('omar', ['receipts:write']), 'ok'],
    ['someone of another company with receipts:write', person('omar', ['receipts:write'], 'co_b'), 'not_found'],
  ] as const)('%s', (_who, principal, expected) => {
    expect(outcome(() => writableTransaction(principal, transaction))).toBe(expected);
  });
});

describe('whose receipts a list shows', () => {
  it.each([
    ['a person: their own, whoever they ask for', person('dana'), 'omar', 'dana'],
    ['with receipts:read: whoever is asked for', person('dana', ['receipts:read']), 'omar', 'omar'],
    ['with receipts:read: everyone when nobody is', person('dana', ['receipts:read']), undefined, undefined],
    ['an API key without receipts:read: nobody\'s', apiKey([]), undefined, '-'],
  ] as const)('%s', (_case, principal, asked, listed) => {
    expect(listedOwner(principal, asked)).toBe(listed);
  });
});
