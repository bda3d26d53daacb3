// Loads one thing from the API for a component and tracks loading, error and data, so
// every list and card shows the same three states.
import { useCallback, useEffect, useState } from 'react';
import { asProblem, type ApiProblem } from '../api/problem';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'error'; problem: ApiProblem }
  | { status: 'ready'; data: T };

export interface ResourceHandle<T> {
  resource: Resource<T>;
  reload: () => void;
}

export function useResource<T>(load: () => Promise<T>, key: string): ResourceHandle<T> {
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setResource({ status: 'loading' });
    // `key` names what is loaded: a new key (or a reload) starts a new request.
    load().then(
      (data) => current && setResource({ status: 'ready', data }),
      (error: unknown) => current && setResource({ status: 'error', problem: asProblem(error) }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { resource, reload };
}
