// Loading and changing data, one way everywhere (TanStack Query): a GET is a query kept under
// a key that starts with its path, so an action names by path what it changed and those
// queries are fetched again; an action is a mutation. Whatever fails is an ApiProblem, which
// the pages show with its detail.
import { QueryClient, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ClientPathsWithMethod, MaybeOptionalInit, MethodResponse } from 'openapi-fetch';
import { useCallback, useRef } from 'react';
import { api, ok } from './client';
import { asProblem, type ApiProblem } from './problem';
import type { paths } from './schema.gen';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiProblem;
  }
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // A failed load shows its problem and a "Try again" button at once; the person retries.
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

export type GetPath = ClientPathsWithMethod<typeof api, 'get'>;
export type GetInit<P extends GetPath> = MaybeOptionalInit<paths[P], 'get'>;
export type GetData<P extends GetPath> = MethodResponse<typeof api, 'get', P>;

/** The key of a GET's query: its path first, so that invalidating the path reaches all of them. */
export const queryKeyOf = (path: GetPath, params: unknown = {}) => [path, params] as const;

/** A GET of the API as a query, for `useQuery(getQuery('/api/v1/wallet'))`. */
export function getQuery<P extends GetPath>(path: P, init?: GetInit<P>) {
  return queryOptions({
    queryKey: queryKeyOf(path, (init as { params?: unknown } | undefined)?.params),
    queryFn: () => ok(api.GET(path, init as never)) as Promise<GetData<P>>,
  });
}

/** Marks every query of the paths stale and fetches again those shown. */
export function invalidate(queryClient: QueryClient, changed: readonly GetPath[]): Promise<unknown> {
  return Promise.all(changed.map((path) => queryClient.invalidateQueries({ queryKey: [path] })));
}

interface ActionOptions<Data, Variables> {
  /** The paths whose data the action changes. */
  invalidates?: readonly GetPath[];
  onSuccess?: (data: Data, variables: Variables) => void;
}

/**
 * An action against the API. What it changed is fetched again before it counts as done, so
 * a button stays busy until the page shows the outcome; `error` is the ApiProblem to show.
 */
export function useAction<Variables = void, Data = unknown>(run: (variables: Variables) => Promise<Data>, options: ActionOptions<Data, Variables> = {}) {
  const queryClient = useQueryClient();
  return useMutation<Data, ApiProblem, Variables>({
    mutationFn: async (variables) => {
      try {
        return await run(variables);
      } catch (error) {
        throw asProblem(error);
      }
    },
    onSuccess: async (data, variables) => {
      options.onSuccess?.(data, variables);
      await invalidate(queryClient, options.invalidates ?? []);
    },
  });
}

/**
 * A refetchInterval that fetches again every `intervalMs` while `waiting` says something shown
 * is still being worked on in the background (a receipt read, an export written), and gives
 * up `durationMaxMs` after the waiting began; a reload starts again.
 */
export function usePollWhile<Data>(waiting: (data: Data) => boolean, intervalMs: number, durationMaxMs: number) {
  const since = useRef<number | null>(null);
  const isWaiting = useRef(waiting);
  isWaiting.current = waiting;
  return useCallback(
    (query: { state: { data: Data | undefined } }): number | false => {
      const data = query.state.data;
      if (data === undefined || !isWaiting.current(data)) {
        since.current = null;
        return false;
      }
      since.current ??= Date.now();
      return Date.now() - since.current > durationMaxMs ? false : intervalMs;
    },
    [intervalMs, durationMaxMs],
  );
}
