// A list the API returns a page at a time ({ items, nextCursor }): loads the first page, then
// more on request, and takes in items the API returned from a change (an invite, an edit).
// A refresh reloads what is shown without going through "Loading…", for lists that change
// on their own (receipts being read, purchases getting their receipt).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Query } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { Page } from '../api/types';

export type Pages<T> =
  | { status: 'loading' }
  | { status: 'error'; problem: ApiProblem }
  | { status: 'ready'; items: T[]; nextCursor: string | null; loadingMore: boolean; moreProblem: ApiProblem | null };

/** The API's most items per page (src/http/schemas.ts). */
const pageSizeMax = 200;

export interface PagesHandle<T> {
  pages: Pages<T>;
  reload: () => void;
  /** Fetches again as many items as are shown, and replaces them quietly. */
  refresh: () => Promise<void>;
  loadMore: () => void;
  /** Replaces the item with the same id, or adds it first: lists come newest first. */
  upsert: (item: T) => void;
  /** Takes out an item the API deleted. */
  remove: (id: string) => void;
}

function merge<T extends { id: string }>(items: T[], more: readonly T[], newAt: 'start' | 'end'): T[] {
  const merged = [...items];
  for (const item of more) {
    const index = merged.findIndex((existing) => existing.id === item.id);
    if (index !== -1) merged[index] = item;
    else if (newAt === 'start') merged.unshift(item);
    else merged.push(item);
  }
  return merged;
}

const parseQuery = (key: string) => JSON.parse(key) as Query;

/** `query` filters the list; its values, not its identity, decide when to load again. */
export function usePages<T extends { id: string }>(path: string, pageSize: number, query: Query = {}): PagesHandle<T> {
  const [pages, setPages] = useState<Pages<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const queryKey = JSON.stringify(query);
  const shown = useRef({ count: 0, generation: 0 });
  shown.current = { count: pages.status === 'ready' ? pages.items.length : 0, generation };

  useEffect(() => {
    let current = true;
    setPages({ status: 'loading' });
    api.get<Page<T>>(path, { ...parseQuery(queryKey), limit: pageSize }).then(
      (page) => current && setPages({ status: 'ready', items: page.items, nextCursor: page.nextCursor, loadingMore: false, moreProblem: null }),
      (error: unknown) => current && setPages({ status: 'error', problem: asProblem(error) }),
    );
    return () => {
      current = false;
    };
  }, [path, pageSize, queryKey, generation]);

  const loadMore = useCallback(() => {
    if (pages.status !== 'ready' || !pages.nextCursor || pages.loadingMore) return;
    const cursor = pages.nextCursor;
    setPages({ ...pages, loadingMore: true, moreProblem: null });
    api.get<Page<T>>(path, { ...parseQuery(queryKey), limit: pageSize, cursor }).then(
      (page) =>
        setPages((previous) =>
          previous.status === 'ready'
            ? { ...previous, items: merge(previous.items, page.items, 'end'), nextCursor: page.nextCursor, loadingMore: false }
            : previous,
        ),
      (error: unknown) =>
        setPages((previous) =>
          previous.status === 'ready' ? { ...previous, loadingMore: false, moreProblem: asProblem(error) } : previous,
        ),
    );
  }, [pages, path, pageSize, queryKey]);

  const refresh = useCallback(() => {
    const { count, generation: startedIn } = shown.current;
    const limit = Math.min(pageSizeMax, Math.max(pageSize, count));
    return api.get<Page<T>>(path, { ...parseQuery(queryKey), limit }).then(
      (page) => {
        // A reload started meanwhile shows newer data than this answer.
        if (shown.current.generation !== startedIn) return;
        setPages((previous) => (previous.status === 'ready' ? { ...previous, items: page.items, nextCursor: page.nextCursor } : previous));
      },
      // A failed quiet refresh keeps what is shown; the next one or a reload tries again.
      () => undefined,
    );
  }, [path, pageSize, queryKey]);

  const upsert = useCallback(
    (item: T) => setPages((previous) => (previous.status === 'ready' ? { ...previous, items: merge(previous.items, [item], 'start') } : previous)),
    [],
  );
  const remove = useCallback(
    (id: string) => setPages((previous) => (previous.status === 'ready' ? { ...previous, items: previous.items.filter((item) => item.id !== id) } : previous)),
    [],
  );
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { pages, reload, refresh, loadMore, upsert, remove };
}
