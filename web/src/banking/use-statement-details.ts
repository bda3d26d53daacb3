// Each listed statement with its entries, fetched one statement at a time: the list gives
// only how many entries a statement has, not what became of each (top-up, suspense, ...).
// What was fetched is kept while the list changes; a refresh fetches it all again.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { BankStatement } from '../api/types';

export interface StatementDetails {
  /** The statement with its entries, once fetched. */
  detailOf: (id: string) => BankStatement | undefined;
  /** Takes a statement an action returned with its entries (accepted, discarded). */
  put: (statement: BankStatement) => void;
  /** Fetches every listed statement again. */
  refresh: () => void;
}

export function useStatementDetails(path: string, statements: readonly BankStatement[]): StatementDetails {
  const [details, setDetails] = useState<ReadonlyMap<string, BankStatement>>(() => new Map());
  const [generation, setGeneration] = useState(0);
  const requested = useRef(new Set<string>());
  const idsKey = statements.map((statement) => statement.id).join(',');

  useEffect(() => {
    for (const id of idsKey.split(',')) {
      if (id === '' || requested.current.has(id)) continue;
      requested.current.add(id);
      api.get<BankStatement>(`${path}/${encodeURIComponent(id)}`).then(
        (statement) => setDetails((previous) => new Map(previous).set(id, statement)),
        // The counts stay unknown ("—"); the next refresh asks again.
        () => requested.current.delete(id),
      );
    }
  }, [path, idsKey, generation]);

  const put = useCallback((statement: BankStatement) => setDetails((previous) => new Map(previous).set(statement.id, statement)), []);
  const refresh = useCallback(() => {
    requested.current.clear();
    setGeneration((value) => value + 1);
  }, []);
  return { detailOf: (id) => details.get(id), put, refresh };
}
