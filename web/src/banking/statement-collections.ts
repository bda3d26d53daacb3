// The two collections of bank statements: the platform's top-up account's (operators) and a
// company's own account's (its admins, under the wallet). The server serves both with the
// same routes under two prefixes; here each is spelled out, so every call stays typed by its
// path, with what an import or a decision changes besides the statements themselves.
import { api, fileBody, ok } from '../api/client';
import { getQuery, type GetPath } from '../api/queries';

export type Decision = 'accept' | 'discard';

export interface StatementCollection {
  list: '/api/v1/bank/statements' | '/api/v1/wallet/bank-statements';
  one: (id: string) => ReturnType<typeof getQuery<'/api/v1/bank/statements/{id}'>>;
  decide: (id: string, decision: Decision) => Promise<unknown>;
  upload: (file: Blob, contentType: string, fileName: string | undefined) => Promise<StatementImportResult>;
  /** What an import or a decision changes: the statements, and more. */
  changes: readonly GetPath[];
}

type StatementImportResult = Awaited<ReturnType<typeof uploadToTopUpAccount>>;

const uploadToTopUpAccount = (file: Blob, contentType: string, fileName: string | undefined) =>
  ok(api.POST('/api/v1/bank/statements', { params: { query: { fileName } }, body: file, ...fileBody(contentType) }));

/** The top-up account's: its credits become companies' top-ups or wait in suspense. */
export const topUpAccountStatements: StatementCollection = {
  list: '/api/v1/bank/statements',
  one: (id) => getQuery('/api/v1/bank/statements/{id}', { params: { path: { id } } }),
  decide: (id, decision) => {
    const path = { params: { path: { id } } };
    return decision === 'accept' ? ok(api.POST('/api/v1/bank/statements/{id}/accept', path)) : ok(api.POST('/api/v1/bank/statements/{id}/discard', path));
  },
  upload: uploadToTopUpAccount,
  changes: ['/api/v1/bank/statements', '/api/v1/bank/statements/{id}', '/api/v1/bank/suspense'],
};

/** A company's own account's: the payout batches it shows leaving are marked executed. */
export const companyStatements: StatementCollection = {
  list: '/api/v1/wallet/bank-statements',
  one: (id) => getQuery('/api/v1/wallet/bank-statements/{id}', { params: { path: { id } } }),
  decide: (id, decision) => {
    const path = { params: { path: { id } } };
    return decision === 'accept' ? ok(api.POST('/api/v1/wallet/bank-statements/{id}/accept', path)) : ok(api.POST('/api/v1/wallet/bank-statements/{id}/discard', path));
  },
  upload: (file, contentType, fileName) => ok(api.POST('/api/v1/wallet/bank-statements', { params: { query: { fileName } }, body: file, ...fileBody(contentType) })),
  changes: ['/api/v1/wallet/bank-statements', '/api/v1/wallet/bank-statements/{id}', '/api/v1/payout-batches'],
};
