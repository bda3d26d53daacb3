// What a section shows of one query, the same everywhere: "Loading …" until the data is in
// (and while a failed load is tried again), the problem with "Try again", or the data.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { LoadError, Loading } from './status';

interface LoadedProps<Data> {
  query: UseQueryResult<Data>;
  /** "the wallet": what is loading. */
  what: string;
  children: (data: Data) => ReactNode;
}

export function Loaded<Data>({ query, what, children }: LoadedProps<Data>) {
  if (query.isSuccess) return <>{children(query.data)}</>;
  if (query.isError && !query.isFetching) return <LoadError problem={query.error} onRetry={() => void query.refetch()} />;
  return <Loading what={what} />;
}
