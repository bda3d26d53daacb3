// A company-wide list's filters live in the address's query string ("?q=taxi&state=approved"),
// so a filtered list is a link that can be shared, and survives a reload. The same filters
// ask the API for the list's pages and for its CSV download.
import { useMemo } from 'react';
import { replaceSearch, useSearch } from '../router';

export type FilterValues<Name extends string> = Partial<Record<Name, string>>;

export interface ListFiltersHandle<Name extends string> {
  values: FilterValues<Name>;
  /** Puts these filters in the address (and so reloads the list); empty values are left out. */
  apply: (next: FilterValues<Name>) => void;
}

/** `names` is a module constant: the query parameters the list understands. */
export function useListFilters<Name extends string>(names: readonly Name[]): ListFiltersHandle<Name> {
  const search = useSearch();
  const values = useMemo(() => filtersIn(search, names), [search, names]);
  return { values, apply: (next) => replaceSearch(searchOf(next, names)) };
}

export function filtersIn<Name extends string>(search: string, names: readonly Name[]): FilterValues<Name> {
  const params = new URLSearchParams(search);
  const values: FilterValues<Name> = {};
  for (const name of names) {
    const value = params.get(name)?.trim();
    if (value) values[name] = value;
  }
  return values;
}

export function searchOf<Name extends string>(values: FilterValues<Name>, names: readonly Name[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = values[name]?.trim();
    if (value) params.set(name, value);
  }
  return params;
}

/** The address of the filtered list as a CSV file (the API answers the whole list, no paging). */
export function csvHref<Name extends string>(path: string, values: FilterValues<Name>, names: readonly Name[]): string {
  const params = searchOf(values, names);
  params.set('format', 'csv');
  return `${path}?${params.toString()}`;
}
