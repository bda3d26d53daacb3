// Accounting exports: the approved expenses of a period written out for the books (CSV, SIE,
// DATEV, or an hledger journal of the same expenses). The file is written in the background: the
// batch shows "Exporting" until it is ready to download, or says why it failed.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Expense, ExportBatch, ExportFormat } from '../api/types';
import { SelectField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages, type PagesHandle } from '../components/use-pages';
import { ExpensesTable } from '../expenses/expenses-table';
import { lastDayOf, monthStartIn, todayIn } from '../dates';
import { choicesOf, formatDate, formatDateTime } from '../format';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';
import { useSession } from '../session';

const batchesPageSize = 20;
const waitingPageSize = 20;
const peoplePageSize = 200;
const exportPollMs = 1000;
const exportPollDurationMaxMs = 5 * 60_000;

export const exportFormatLabels: Record<ExportFormat, string> = labelsOf('bookkeeper.exports.formats', en.bookkeeper.exports.formats);
const shortFormatLabels: Record<ExportFormat, string> = { csv: 'CSV', sie: 'SIE', datev: 'DATEV', hledger: 'hledger' };

const stateLabels: Record<ExportBatch['state'], string> = labelsOf('bookkeeper.exports.states', en.bookkeeper.exports.states);

/** While a file is being written, the list is fetched again every second. */
const exporting = { waiting: (batches: ExportBatch[]) => batches.some((batch) => batch.state === 'exporting'), intervalMs: exportPollMs, durationMaxMs: exportPollDurationMaxMs };

export function ExportsPage() {
  const batches = usePages('/api/v1/export-batches', batchesPageSize, undefined, { pollWhile: exporting });
  const waiting = usePages('/api/v1/expenses', waitingPageSize, { state: 'approved', exportState: 'not_exported' });
  const { pages } = batches;
  return (
    <>
      <h1 className="page-title">{t('bookkeeper.exports.heading')}</h1>
      <div className="dashboard">
        <ExportForm />
        <WaitingForExport waiting={waiting} />
        <section className="card wide-card" aria-labelledby="export-batches-heading">
          <div className="card-title-row">
            <h2 id="export-batches-heading">{t('bookkeeper.exports.batches')}</h2>
            <button type="button" className="link-button" onClick={batches.reload} disabled={batches.fetching}>
              {t('bookkeeper.exports.refresh')}
            </button>
          </div>
          {pages.status === 'loading' && <Loading what={t('bookkeeper.exports.loading')} />}
          {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={batches.reload} />}
          {pages.status === 'ready' && (pages.items.length === 0 ? <Empty>{t('bookkeeper.exports.nothing')}</Empty> : <BatchesTable batches={pages.items} />)}
          <MoreButton pages={pages} onMore={batches.loadMore} what={t('bookkeeper.exports.more')} />
        </section>
      </div>
    </>
  );
}

function ExportForm() {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const { timeZone } = useSession().session.company;
  const [from, setFrom] = useState(() => monthStartIn(timeZone));
  const [to, setTo] = useState(() => todayIn(timeZone));
  const [month, setMonth] = useState('');
  const start = useAction(() => ok(api.POST('/api/v1/export-batches', { body: { format, from, to } })), { invalidates: ['/api/v1/export-batches', '/api/v1/expenses'] });
  const problem = formProblem(start.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    start.mutate();
  }

  return (
    <section className="card" aria-labelledby="new-export-heading">
      <h2 id="new-export-heading">{t('bookkeeper.exports.new')}</h2>
      <form onSubmit={submit} aria-label={t('bookkeeper.exports.new')} noValidate>
        <SelectField label={t('bookkeeper.exports.format')} value={format} onChange={(value) => setFormat(value as ExportFormat)} options={choicesOf(exportFormatLabels).map((value) => ({ value, label: exportFormatLabels[value] }))} error={problem.forField('format')} />
        <TextField
          label={t('bookkeeper.exports.month')}
          type="month"
          value={month}
          onChange={(value) => {
            setMonth(value);
            if (/^\d{4}-\d{2}$/.test(value)) {
              setFrom(`${value}-01`);
              setTo(lastDayOf(value));
            }
          }}
          hint={t('bookkeeper.exports.monthHint')}
        />
        <div className="two-column-form">
          <TextField label={t('bookkeeper.exports.from')} type="date" required value={from} onChange={setFrom} error={problem.forField('from')} />
          <TextField label={t('bookkeeper.exports.to')} type="date" required value={to} onChange={setTo} error={problem.forField('to')} />
        </div>
        <p className="muted small-text">{t('bookkeeper.exports.which')}</p>
        <ProblemMessage problem={problem.forForm(['format', 'from', 'to'])} />
        <button type="submit" className="primary" disabled={start.isPending}>
          {start.isPending ? t('bookkeeper.exports.starting') : t('bookkeeper.exports.export')}
        </button>
      </form>
    </section>
  );
}

function BatchesTable({ batches }: { batches: ExportBatch[] }) {
  const { session } = useSession();
  return (
    <table className="responsive-table">
      <thead>
        <tr>
          <th scope="col">{t('bookkeeper.exports.format')}</th>
          <th scope="col">{t('bookkeeper.exports.period')}</th>
          <th scope="col">{t('bookkeeper.exports.state')}</th>
          <th scope="col" className="number">
            {t('bookkeeper.exports.expenses')}
          </th>
          <th scope="col">{t('bookkeeper.exports.started')}</th>
          <th scope="col">{t('bookkeeper.exports.file')}</th>
        </tr>
      </thead>
      <tbody>
        {batches.map((batch) => (
          <tr key={batch.id}>
            <td data-label={t('bookkeeper.exports.format')}>{shortFormatLabels[batch.format]}</td>
            <td data-label={t('bookkeeper.exports.period')}>
              {formatDate(batch.from)} – {formatDate(batch.to)}
            </td>
            <td data-label={t('bookkeeper.exports.state')}>
              <span className={`badge badge-export-${batch.state}`} role={batch.state === 'exporting' ? 'status' : undefined}>
                {stateLabels[batch.state]}
              </span>
              {batch.error && <div className="small-text reading-failed">{batch.error}</div>}
            </td>
            <td data-label={t('bookkeeper.exports.expenses')} className="number">
              {batch.expenseCount}
            </td>
            <td data-label={t('bookkeeper.exports.started')}>{formatDateTime(batch.createdAt, session.company.timeZone)}</td>
            <td data-label={t('bookkeeper.exports.file')}>
              {batch.fileUrl ? (
                <a href={batch.fileUrl} download={batch.fileName} aria-label={t('bookkeeper.exports.download', { file: batch.fileName })}>
                  {batch.fileName}
                </a>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Approved expenses no export has taken yet (or corrected since), each linking to its page. */
function WaitingForExport({ waiting }: { waiting: PagesHandle<Expense> }) {
  const people = usePages('/api/v1/people', peoplePageSize);
  const { pages } = waiting;
  const nameOf = (userId: string) => (people.pages.status === 'ready' ? (people.pages.items.find((person) => person.id === userId)?.name ?? t('expenses.page.someone')) : '…');
  return (
    <section className="card" aria-labelledby="waiting-for-export-heading">
      <div className="card-title-row">
        <h2 id="waiting-for-export-heading">{t('bookkeeper.exports.waiting')}</h2>
        <button type="button" className="link-button" onClick={waiting.reload} disabled={waiting.fetching}>
          {t('bookkeeper.exports.refresh')}
        </button>
      </div>
      {pages.status === 'loading' && <Loading what={t('bookkeeper.exports.loadingApproved')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={waiting.reload} />}
      {pages.status === 'ready' && (pages.items.length === 0 ? <Empty>{t('bookkeeper.exports.allExported')}</Empty> : <ExpensesTable expenses={pages.items} ownerName={nameOf} />)}
      <MoreButton pages={pages} onMore={waiting.loadMore} what={t('expenses.mine.more')} />
    </section>
  );
}
