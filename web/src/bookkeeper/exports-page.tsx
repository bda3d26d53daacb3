// Accounting exports: the approved expenses of a period written out for the books (CSV, SIE,
// DATEV, or the ledger's journal for hledger). The file is written in the background: the
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
import { useSession } from '../session';

const batchesPageSize = 20;
const waitingPageSize = 20;
const peoplePageSize = 200;
const exportPollMs = 1000;
const exportPollDurationMaxMs = 5 * 60_000;

export const exportFormatLabels: Record<ExportFormat, string> = {
  csv: 'CSV (any spreadsheet or accounting program)',
  sie: 'SIE 4 (Swedish accounting programs)',
  datev: 'DATEV Buchungsstapel (Germany)',
  hledger: 'hledger journal (the whole ledger)',
};
const shortFormatLabels: Record<ExportFormat, string> = { csv: 'CSV', sie: 'SIE', datev: 'DATEV', hledger: 'hledger' };

const stateLabels: Record<ExportBatch['state'], string> = {
  exporting: 'Exporting…',
  exported: 'Exported',
  failed: 'Failed',
};

/** While a file is being written, the list is fetched again every second. */
const exporting = { waiting: (batches: ExportBatch[]) => batches.some((batch) => batch.state === 'exporting'), intervalMs: exportPollMs, durationMaxMs: exportPollDurationMaxMs };

export function ExportsPage() {
  const batches = usePages('/api/v1/export-batches', batchesPageSize, undefined, { pollWhile: exporting });
  const waiting = usePages('/api/v1/expenses', waitingPageSize, { state: 'approved', exportState: 'not_exported' });
  const { pages } = batches;
  return (
    <>
      <h1 className="page-title">Export</h1>
      <div className="dashboard">
        <ExportForm />
        <WaitingForExport waiting={waiting} />
        <section className="card wide-card" aria-labelledby="export-batches-heading">
          <div className="card-title-row">
            <h2 id="export-batches-heading">Exports</h2>
            <button type="button" className="link-button" onClick={batches.reload} disabled={batches.fetching}>
              Refresh
            </button>
          </div>
          {pages.status === 'loading' && <Loading what="the exports" />}
          {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={batches.reload} />}
          {pages.status === 'ready' && (pages.items.length === 0 ? <Empty>Nothing exported yet.</Empty> : <BatchesTable batches={pages.items} />)}
          <MoreButton pages={pages} onMore={batches.loadMore} what="exports" />
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
      <h2 id="new-export-heading">New export</h2>
      <form onSubmit={submit} aria-label="New export" noValidate>
        <SelectField label="Format" value={format} onChange={(value) => setFormat(value as ExportFormat)} options={choicesOf(exportFormatLabels).map((value) => ({ value, label: exportFormatLabels[value] }))} error={problem.forField('format')} />
        <TextField
          label="Month"
          type="month"
          value={month}
          onChange={(value) => {
            setMonth(value);
            if (/^\d{4}-\d{2}$/.test(value)) {
              setFrom(`${value}-01`);
              setTo(lastDayOf(value));
            }
          }}
          hint="Fills in the period below; or choose the days yourself."
        />
        <div className="two-column-form">
          <TextField label="From" type="date" required value={from} onChange={setFrom} error={problem.forField('from')} />
          <TextField label="To (included)" type="date" required value={to} onChange={setTo} error={problem.forField('to')} />
        </div>
        <p className="muted small-text">Approved expenses of the period not exported yet go in; a corrected one goes in again.</p>
        <ProblemMessage problem={problem.forForm(['format', 'from', 'to'])} />
        <button type="submit" className="primary" disabled={start.isPending}>
          {start.isPending ? 'Starting…' : 'Export'}
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
          <th scope="col">Format</th>
          <th scope="col">Period</th>
          <th scope="col">State</th>
          <th scope="col" className="number">
            Expenses
          </th>
          <th scope="col">Started</th>
          <th scope="col">File</th>
        </tr>
      </thead>
      <tbody>
        {batches.map((batch) => (
          <tr key={batch.id}>
            <td data-label="Format">{shortFormatLabels[batch.format]}</td>
            <td data-label="Period">
              {formatDate(batch.from)} – {formatDate(batch.to)}
            </td>
            <td data-label="State">
              <span className={`badge badge-export-${batch.state}`} role={batch.state === 'exporting' ? 'status' : undefined}>
                {stateLabels[batch.state]}
              </span>
              {batch.error && <div className="small-text reading-failed">{batch.error}</div>}
            </td>
            <td data-label="Expenses" className="number">
              {batch.expenseCount}
            </td>
            <td data-label="Started">{formatDateTime(batch.createdAt, session.company.timeZone)}</td>
            <td data-label="File">
              {batch.fileUrl ? (
                <a href={batch.fileUrl} download={batch.fileName} aria-label={`Download ${batch.fileName}`}>
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
  const nameOf = (userId: string) => (people.pages.status === 'ready' ? (people.pages.items.find((person) => person.id === userId)?.name ?? 'Someone') : '…');
  return (
    <section className="card" aria-labelledby="waiting-for-export-heading">
      <div className="card-title-row">
        <h2 id="waiting-for-export-heading">Not exported yet</h2>
        <button type="button" className="link-button" onClick={waiting.reload} disabled={waiting.fetching}>
          Refresh
        </button>
      </div>
      {pages.status === 'loading' && <Loading what="the approved expenses" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={waiting.reload} />}
      {pages.status === 'ready' && (pages.items.length === 0 ? <Empty>Every approved expense is exported.</Empty> : <ExpensesTable expenses={pages.items} ownerName={nameOf} />)}
      <MoreButton pages={pages} onMore={waiting.loadMore} what="expenses" />
    </section>
  );
}
