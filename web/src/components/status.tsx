// Loading, empty and error states, the same everywhere. Problems are shown in plain words
// (problem-text.ts), with the API's detail underneath only where it helps.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../api/problem';
import { problemText } from './problem-text';

export { asSentence } from './problem-text';

export function Loading({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status" aria-live="polite">
      {t('status.loading', { what })}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

function ProblemLines({ problem }: { problem: ApiProblem }) {
  const { message, detail } = problemText(problem);
  return (
    <>
      {message}
      {detail && detail !== message && (
        <>
          {' '}
          <small className="problem-detail">{detail}</small>
        </>
      )}
    </>
  );
}

/** `prefix` names what the problem is about when several things were tried at once (a file). */
export function ProblemMessage({ problem, id, prefix }: { problem: ApiProblem | null; id?: string; prefix?: string | undefined }) {
  if (!problem) return null;
  return (
    <p className="problem" role="alert" id={id}>
      {prefix && <strong>{prefix}: </strong>}
      <ProblemLines problem={problem} />
    </p>
  );
}

/** A load that failed; one that cannot be found is not offered again. */
export function LoadError({ problem, onRetry }: { problem: ApiProblem; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="problem" role="alert">
      <p>
        <ProblemLines problem={problem} />
      </p>
      {problem.code !== 'not_found' && (
        <button type="button" className="secondary small" onClick={onRetry}>
          {t('status.tryAgain')}
        </button>
      )}
    </div>
  );
}
