// Importing bank statement files (CAMT.053 or MT940, the server tells which from the
// content): picked with the file chooser or dropped on the box, sent one after the other,
// each answered with what became of its statements and their entries.
import { StatementWarnings } from './statement-warnings';
import { useId, useState, type ChangeEvent, type ReactNode } from 'react';
import { asProblem, type ApiProblem } from '../api/problem';
import { useAction } from '../api/queries';
import type { StatementImport, UploadType } from '../api/types';
import { asSentence, ProblemMessage } from '../components/status';
import { useFileDrop } from '../components/use-file-drop';
import { Link } from '../router';
import { describeCounts, statementStateLabels } from './bank-labels';
import type { StatementCollection } from './statement-collections';
import { t } from '../i18n/i18n';

/** The server's largest statement file (src/banking/statements/limits.ts). */
const statementFileBytesMax = 20 * 1024 * 1024;
/** Files imported from one pick or drop; more are left for a second go. */
const statementFilesAtOnceMax = 10;
/** The body types the statement routes take; anything else goes as plain bytes. */
const uploadTypes: readonly string[] = ['application/xml', 'text/xml', 'text/plain'] satisfies UploadType<'importBankStatement'>[];
const statementAccept = '.xml,.sta,.mt940,.940,.942,.txt,application/xml,text/xml,text/plain';

const formatLabels: Record<StatementImport['format'], string> = { 'camt.052': 'CAMT.052', 'camt.053': 'CAMT.053', 'camt.054': 'CAMT.054', mt940: 'MT940' };

type ImportResult = { fileName: string; summary: StatementImport } | { fileName: string; problem: ApiProblem };

interface StatementUploadProps {
  /** The top-up account's statements, or the company's own account's. */
  collection: StatementCollection;
  heading: string;
  children: ReactNode;
  statementPathOf: (id: string) => string;
}

export function StatementUpload({ collection, heading, children, statementPathOf }: StatementUploadProps) {
  const headingId = useId();
  const [results, setResults] = useState<ImportResult[]>([]);
  // One action imports the files picked or dropped together, one after the other; each
  // file's outcome, its summary or its problem, is shown as it comes.
  const importing = useAction(
    async (files: readonly File[]) => {
      for (const file of files.slice(0, statementFilesAtOnceMax)) {
        const result = await importFile(collection, file);
        setResults((previous) => [...previous, result]);
      }
    },
    { invalidates: collection.changes },
  );
  const sending = importing.isPending;
  const drop = useFileDrop((files) => importFiles(files));

  function importFiles(files: readonly File[]) {
    if (files.length === 0 || sending) return;
    setResults([]);
    importing.mutate(files);
  }

  function picked(event: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(event.target.files ?? []);
    // Cleared, so that picking the same file again imports it again (and says so).
    event.target.value = '';
    importFiles(files);
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      <div className="muted small-text">{children}</div>
      <div className={`file-drop${drop.over ? ' file-drop-over' : ''}`} {...drop.handlers}>
        <label className="file-button primary" aria-disabled={sending || undefined}>
          <span aria-hidden>{sending ? t('banking.upload.importing') : t('banking.upload.choose')}</span>
          <input type="file" className="visually-hidden" accept={statementAccept} multiple aria-label={t('banking.upload.fileLabel')} disabled={sending} onChange={picked} />
        </label>
        <p className="muted small-text file-drop-hint">
          <span className="pointer-only">{t('banking.upload.dropHere')} </span>
          {t('banking.upload.formats')}
        </p>
      </div>
      <div role="status" aria-live="polite">
        {results.length > 0 && (
          <ul className="import-results" aria-label="Imported files">
            {results.map((result, index) => (
              <li key={`${result.fileName}-${index}`}>
                {'summary' in result ? <ImportSummary fileName={result.fileName} summary={result.summary} statementPathOf={statementPathOf} /> : <ProblemMessage problem={result.problem} prefix={result.fileName} />}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

async function importFile(collection: StatementCollection, file: File): Promise<ImportResult> {
  if (file.size > statementFileBytesMax) {
    return { fileName: file.name, problem: asProblem(new Error(`a statement file has at most ${statementFileBytesMax / 1024 / 1024} MB`)) };
  }
  try {
    const contentType = uploadTypes.includes(file.type) ? file.type : 'application/octet-stream';
    return { fileName: file.name, summary: await collection.upload(file, contentType, file.name || undefined) };
  } catch (error) {
    return { fileName: file.name, problem: asProblem(error) };
  }
}

function ImportSummary({ fileName, summary, statementPathOf }: { fileName: string; summary: StatementImport; statementPathOf: (id: string) => string }) {
  const held = summary.statements.some((statement) => statement.state === 'held' && !statement.duplicate);
  const tone = summary.duplicateFile ? 'info' : held ? 'warning' : 'success';
  return (
    <div className={`notice ${tone} import-summary`}>
      <p>
        <strong className="break">{fileName || t('banking.upload.file')}</strong> · {formatLabels[summary.format]}
      </p>
      {summary.duplicateFile && <p>{t('banking.upload.importedBefore')}</p>}
      {!summary.duplicateFile && summary.statements.length === 0 && <p>{t('banking.upload.noStatement')}</p>}
      {!summary.duplicateFile && <StatementWarnings warnings={summary.warnings} />}
      {summary.statements.map((statement) => (
        <p key={statement.id}>
          <Link href={statementPathOf(statement.id)}>{statement.statementRef ?? t('banking.upload.statement')}</Link>
          {': '}
          {statement.duplicate ? (
            t('banking.upload.importedBeforeLower')
          ) : (
            <>
              {statementStateLabels[statement.state]}
              {statement.state === 'held' && statement.inconsistency && ` (${t('banking.upload.heldBecause', { why: asSentence(statement.inconsistency) })})`}
              {describeCounts(statement.entries).length > 0 && ` · ${describeCounts(statement.entries).join(' · ')}`}
            </>
          )}
        </p>
      ))}
    </div>
  );
}
