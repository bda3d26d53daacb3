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

/** The API writes details as lower-case clauses ("the e-mail address is wrong"); shown
 * alone, they read better as sentences. */
export function asSentence(detail: string): string {
  const text = detail.trim();
  if (text === '') return text;
  // Only a plain word is capitalised: "emma@example.com already…" must stay as written.
  const capitalised = /^[a-z]+(?=[\s,;:]|$)/.test(text) ? text[0]!.toUpperCase() + text.slice(1) : text;
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** `prefix` names what the problem is about when several things were tried at once (a file). */
export function ProblemMessage({ problem, id, prefix }: { problem: ApiProblem | null; id?: string; prefix?: string | undefined }) {
  if (!problem) return null;
  return (
    <p className="problem" role="alert" id={id}>
      {prefix && <strong>{prefix}: </strong>}
      {asSentence(problem.detail)}
    </p>
  );
}

export function LoadError({ problem, onRetry }: { problem: ApiProblem; onRetry: () => void }) {
  return (
    <div className="problem" role="alert">
      <p>{asSentence(problem.detail)}</p>
      <button type="button" className="secondary small" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
