// A company-wide list filtered by its address: the filters, the pages the API gives for them,
// and the address of the same list as CSV.
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { queryKeyOf } from '../api/queries';
import { usePages, type FiltersOf, type ItemOf, type PagedPath, type Pages, type PagesHandle } from '../components/use-pages';
import { csvHref, useListFilters, type ListFiltersHandle } from './list-filters';

export interface FilteredPages<P extends PagedPath, Name extends string> {
  filters: ListFiltersHandle<Name>;
  list: PagesHandle<ItemOf<P>>;
  csvHref: string;
  /** How many items the filters find, all pages together (null until known). */
  total: number | null;
}

/** The most rows the API writes in one CSV file (src/http/csv-download.ts); beyond, it refuses. */
export const csvRowsMax = 10_000;

/** `names` is a module constant: the list's query parameters, each a filter of `path` (the
 * API refuses a value it cannot take, e.g. a state it does not know, with a problem shown). */
export function useFilteredPages<P extends PagedPath, Name extends keyof FiltersOf<P> & string>(path: P, names: readonly Name[], pageSize: number): FilteredPages<P, Name> {
  const filters = useListFilters(names);
  const list = usePages(path, pageSize, filters.values as unknown as FiltersOf<P>);
  // One item is enough to learn the total; the list's own pages are fetched apart.
  const counted = { ...filters.values, limit: '1' };
  const count = useQuery({
    queryKey: queryKeyOf(path, counted),
    queryFn: () => ok(api.GET(path, { params: { query: counted } } as never)) as Promise<{ total?: number }>,
  });
  return { filters, list, csvHref: csvHref(path, filters.values, names), total: count.data?.total ?? null };
}

/** The name of a person as the list's own items give it (`person {id, name}`), for its rows. */
export function personNameIn<T extends { userId: string; person: { name: string } }>(pages: Pages<T>): (userId: string) => string {
  return (userId) => (pages.status === 'ready' ? pages.items.find((item) => item.userId === userId)?.person.name : undefined) ?? '…';
}
