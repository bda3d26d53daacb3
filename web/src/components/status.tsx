// Loading, empty and error states, the same everywhere.
import type { ReactNode } from 'react';
import type { ApiProblem } from '../api/problem';

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function ProblemMessage({ problem, id }: { problem: ApiProblem | null; id?: string }) {
  if (!problem) return null;
  return (
    <p className="problem" role="alert" id={id}>
      {problem.detail}
    </p>
  );
}

export function LoadError({ problem, onRetry }: { problem: ApiProblem; onRetry: () => void }) {
  return (
    <div className="problem" role="alert">
      <p>{problem.detail}</p>
      <button type="button" className="secondary small" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
