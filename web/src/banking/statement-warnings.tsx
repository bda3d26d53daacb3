// What the statement reader accepted in a file although it was not as the format says (a
// header line skipped, an amount without its decimal comma, ...), each with where it is: shown
// after an import and on each statement that came in the file.
import type { StatementImport } from '../api/types';
import { t } from '../i18n/i18n';

type Warning = StatementImport['warnings'][number];

export function StatementWarnings({ warnings }: { warnings: readonly Warning[] }) {
  if (warnings.length === 0) return null;
  return (
    <details className="statement-warnings">
      <summary>{t('banking.statement.warnings', { count: warnings.length })}</summary>
      <ul>
        {warnings.map((warning, index) => (
          <li key={`${warning.code}-${index}`}>
            {warning.line !== null && <strong>{t('banking.statement.warningAtLine', { line: warning.line })}: </strong>}
            {warning.path !== null && <code className="break">{warning.path}</code>}
            {warning.path !== null && ': '}
            {warning.message}
          </li>
        ))}
      </ul>
    </details>
  );
}
