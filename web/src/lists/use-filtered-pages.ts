// A company-wide list filtered by its address: the filters, the pages the API gives for them,
// and the address of the same list as CSV.
import { usePages, type FiltersOf, type ItemOf, type PagedPath, type Pages, type PagesHandle } from '../components/use-pages';
import { csvHref, useListFilters, type ListFiltersHandle } from './list-filters';

export interface FilteredPages<P extends PagedPath, Name extends string> {
  filters: ListFiltersHandle<Name>;
  list: PagesHandle<ItemOf<P>>;
  csvHref: string;
}

/** `names` is a module constant: the list's query parameters, each a filter of `path` (the
 * API refuses a value it cannot take, e.g. a state it does not know, with a problem shown). */
export function useFilteredPages<P extends PagedPath, Name extends keyof FiltersOf<P> & string>(path: P, names: readonly Name[], pageSize: number): FilteredPages<P, Name> {
  const filters = useListFilters(names);
  const list = usePages(path, pageSize, filters.values as unknown as FiltersOf<P>);
  return { filters, list, csvHref: csvHref(path, filters.values, names) };
}

/** The name of a person as the list's own items give it (`person {id, name}`), for its rows. */
export function personNameIn<T extends { userId: string; person: { name: string } }>(pages: Pages<T>): (userId: string) => string {
  return (userId) => (pages.status === 'ready' ? pages.items.find((item) => item.userId === userId)?.person.name : undefined) ?? '…';
}
