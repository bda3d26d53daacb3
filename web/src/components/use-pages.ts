// A list the API returns a page at a time ({ items, nextCursor }): loads the first page, then
// more on request, and takes in items the API returned from a change (an invite, an edit).
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { Page } from '../api/types';

export type Pages<T> =
  | { status: 'loading' }
  | { status: 'error'; problem: ApiProblem }
  | { status: 'ready'; items: T[]; nextCursor: string | null; loadingMore: boolean; moreProblem: ApiProblem | null };

export interface PagesHandle<T> {
  pages: Pages<T>;
  reload: () => void;
  loadMore: () => void;
  /** Replaces the item with the same id, or adds it first: lists come newest first. */
  upsert: (item: T) => void;
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

export function usePages<T extends { id: string }>(path: string, pageSize: number): PagesHandle<T> {
  const [pages, setPages] = useState<Pages<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setPages({ status: 'loading' });
    api.get<Page<T>>(path, { limit: pageSize }).then(
      (page) => current && setPages({ status: 'ready', items: page.items, nextCursor: page.nextCursor, loadingMore: false, moreProblem: null }),
      (error: unknown) => current && setPages({ status: 'error', problem: asProblem(error) }),
    );
    return () => {
      current = false;
    };
  }, [path, pageSize, generation]);

  const loadMore = useCallback(() => {
    if (pages.status !== 'ready' || !pages.nextCursor || pages.loadingMore) return;
    const cursor = pages.nextCursor;
    setPages({ ...pages, loadingMore: true, moreProblem: null });
    api.get<Page<T>>(path, { limit: pageSize, cursor }).then(
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
  }, [pages, path, pageSize]);

  const upsert = useCallback(
    (item: T) => setPages((previous) => (previous.status === 'ready' ? { ...previous, items: merge(previous.items, [item], 'start') } : previous)),
    [],
  );
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { pages, reload, loadMore, upsert };
}
