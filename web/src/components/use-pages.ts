// A list the API returns a page at a time ({ items, nextCursor }), as an infinite query: the
// first page, then more on request. Fetching it again (after a change, or while something in
// it is being worked on) keeps what is shown until the new pages are in.
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import type { ApiProblem } from '../api/problem';
import { queryKeyOf, usePollWhile, type GetData, type GetPath } from '../api/queries';
import type { paths } from '../api/schema.gen';

export type Pages<T> =
  | { status: 'loading' }
  | { status: 'error'; problem: ApiProblem }
  | { status: 'ready'; items: T[]; nextCursor: string | null; loadingMore: boolean; moreProblem: ApiProblem | null };

export interface PagesHandle<T> {
  pages: Pages<T>;
  /** Whether the list is being fetched again (a Refresh button waits). */
  fetching: boolean;
  reload: () => void;
  loadMore: () => void;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The GETs that answer with pages. */
export type PagedPath = { [P in GetPath]: GetData<P> extends Page<unknown> ? P : never }[GetPath];
export type ItemOf<P extends PagedPath> = GetData<P> extends Page<infer Item> ? Item : never;
/** What a list is filtered by: its query parameters but the paging ones. */
export type FiltersOf<P extends PagedPath> = Omit<NonNullable<paths[P]['get']['parameters']['query']>, 'limit' | 'cursor'>;

interface PagesOptions<T> {
  /** Fetch the list again every little while as long as this holds of the items shown. */
  pollWhile?: { waiting: (items: T[]) => boolean; intervalMs: number; durationMaxMs: number };
}

const never = () => false;

/** `filters` are compared by value: a new object with the same values loads nothing again. */
export function usePages<P extends PagedPath>(path: P, pageSize: number, filters?: FiltersOf<P>, options: PagesOptions<ItemOf<P>> = {}): PagesHandle<ItemOf<P>> {
  type Item = ItemOf<P>;
  const poll = options.pollWhile;
  const refetchInterval = usePollWhile<{ pages: Page<Item>[] }>((data) => (poll?.waiting ?? never)(data.pages.flatMap((page) => page.items)), poll?.intervalMs ?? 0, poll?.durationMaxMs ?? 0);
  const query = useInfiniteQuery({
    queryKey: queryKeyOf(path, { ...filters, limit: String(pageSize) }),
    queryFn: ({ pageParam }) => {
      const cursor = pageParam === null ? {} : { cursor: pageParam };
      return ok(api.GET(path, { params: { query: { ...filters, limit: String(pageSize), ...cursor } } } as never)) as Promise<Page<Item>>;
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: poll ? refetchInterval : false,
  });

  let pages: Pages<Item>;
  if (query.data) {
    const last = query.data.pages[query.data.pages.length - 1];
    pages = {
      status: 'ready',
      items: query.data.pages.flatMap((page) => page.items),
      nextCursor: last?.nextCursor ?? null,
      loadingMore: query.isFetchingNextPage,
      moreProblem: query.isFetchNextPageError ? query.error : null,
    };
  } else if (query.status === 'error' && !query.isFetching) {
    pages = { status: 'error', problem: query.error };
  } else {
    pages = { status: 'loading' };
  }

  return {
    pages,
    fetching: query.isFetching,
    reload: () => void query.refetch(),
    loadMore: () => {
      if (query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
    },
  };
}
