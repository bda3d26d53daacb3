// One credit in suspense: how much, when, from whom and with what message, and the two
// things an operator can do with it, each in its own small form.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { BankCompany, BankEntry } from '../api/types';
import { inGroupsOfFour } from '../banking/bank-labels';
import { TextAreaField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loading, ProblemMessage } from '../components/status';
import { formatDate, formatMoney } from '../format';
import { bankStatementPath, Link } from '../router';
import { CompanyPicker } from './company-picker';

export interface Decision {
  entry: BankEntry;
  /** What became of it, as the queue tells it afterwards. */
  text: string;
}

interface SuspenseItemProps {
  entry: BankEntry;
  /** Null while the companies load. */
  companies: readonly BankCompany[] | null;
  onDecided: (decision: Decision) => void;
}

/** A decided credit leaves the queue and shows on its statement with what became of it. */
const suspenseChanged = ['/api/v1/bank/suspense', '/api/v1/bank/statements/{id}'] as const;

export const creditLabel = (entry: BankEntry) => `${formatMoney(entry.amount)} from ${entry.counterparty.name ?? 'an unknown payer'}`;

export function SuspenseItem({ entry, companies, onDecided }: SuspenseItemProps) {
  const [action, setAction] = useState<'assign' | 'return' | null>(null);
  const label = creditLabel(entry);
  const toggle = (next: 'assign' | 'return') => setAction(action === next ? null : next);
  return (
    <article className="suspense-item" aria-label={label}>
      <div className="expense-summary">
        <div>
          <h3 className="money-in">{formatMoney(entry.amount)}</h3>
          <p className="muted small-text">
            {formatDate(entry.bookingDate)} · from {entry.counterparty.name ?? 'an unknown payer'}
            {entry.counterparty.iban && (
              <>
                {' · '}
                <code>{inGroupsOfFour(entry.counterparty.iban)}</code>
              </>
            )}
          </p>
        </div>
      </div>
      <p className="remittance break">{entry.remittance ? `“${entry.remittance}”` : <span className="muted">No message</span>}</p>
      <p className="muted small-text">
        {entry.bankReference && <>Bank reference {entry.bankReference} · </>}
        <Link href={bankStatementPath(entry.statementId)}>On its statement</Link>
      </p>
      <div className="row-actions batch-actions">
        <button type="button" className={action === 'assign' ? 'primary small' : 'secondary small'} aria-expanded={action === 'assign'} onClick={() => toggle('assign')}>
          Assign to company
        </button>
        <button type="button" className={action === 'return' ? 'primary small' : 'secondary small'} aria-expanded={action === 'return'} onClick={() => toggle('return')}>
          Return
        </button>
      </div>
      {action === 'assign' && (companies ? <AssignForm entry={entry} companies={companies} onDecided={onDecided} /> : <Loading what="the companies" />)}
      {action === 'return' && <ReturnForm entry={entry} onDecided={onDecided} />}
    </article>
  );
}

function AssignForm({ entry, companies, onDecided }: { entry: BankEntry; companies: readonly BankCompany[]; onDecided: (decision: Decision) => void }) {
  const [companyId, setCompanyId] = useState('');
  const chosen = companies.find((company) => company.id === companyId);
  const assign = useAction((company: BankCompany) => ok(api.POST('/api/v1/bank/entries/{id}/assign', { params: { path: { id: entry.id } }, body: { companyId: company.id } })), {
    invalidates: suspenseChanged,
    onSuccess: (assigned, company) => onDecided({ entry: assigned, text: `${creditLabel(entry)} assigned to ${company.name}: booked as its top-up.` }),
  });
  const problem = formProblem(assign.error);
  const busy = assign.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen) assign.mutate(chosen);
  }

  return (
    <form className="inline-form suspense-form" onSubmit={submit} aria-label={`Assign ${creditLabel(entry)}`} noValidate>
      <CompanyPicker companies={companies} currency={entry.amount.currency} chosen={companyId} onChoose={setCompanyId} error={problem.forField('companyId')} />
      <ProblemMessage problem={problem.forForm(['companyId'])} />
      <button type="submit" className="primary" disabled={busy || !chosen}>
        {busy ? 'Assigning…' : chosen ? `Assign to ${chosen.name}` : 'Assign'}
      </button>
    </form>
  );
}

function ReturnForm({ entry, onDecided }: { entry: BankEntry; onDecided: (decision: Decision) => void }) {
  const [note, setNote] = useState('');
  const markForReturn = useAction(() => ok(api.POST('/api/v1/bank/entries/{id}/return', { params: { path: { id: entry.id } }, body: { note: note.trim() } })), {
    invalidates: suspenseChanged,
    onSuccess: (returned) => onDecided({ entry: returned, text: `${creditLabel(entry)} marked for return to the payer.` }),
  });
  const problem = formProblem(markForReturn.error);
  const busy = markForReturn.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    markForReturn.mutate();
  }

  return (
    <form className="inline-form suspense-form" onSubmit={submit} aria-label={`Return ${creditLabel(entry)}`} noValidate>
      <TextAreaField label="Why it goes back" required maxLength={500} value={note} onChange={setNote} error={problem.forField('note')} hint="Kept with the transfer; send the money back from the bank." />
      <ProblemMessage problem={problem.forForm(['note'])} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Marking…' : 'Mark for return'}
      </button>
    </form>
  );
}
