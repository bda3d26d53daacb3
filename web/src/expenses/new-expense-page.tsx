// Adding an expense the person paid, drove or travelled themselves: out of pocket (amount,
// day, merchant and the receipt, snapped or picked), mileage (distance and route at the
// company's rate) or per diem (a country of the company's rates and the days). Once filed
// it opens in the editor, to split, tag and submit.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { PerDiemRate, RequestBody } from '../api/types';
import { SelectField, TextField } from '../components/fields';
import { formProblem, type FormProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { todayIn } from '../dates';
import { formatMoney } from '../format';
import { isZero } from '../money';
import { ReceiptFileInput } from '../receipts/receipt-file-input';
import { ReceiptThumbnail } from '../receipts/receipt-thumbnail';
import { receiptName } from '../receipts/receipt-labels';
import { useReceiptSender } from '../receipts/use-receipt-sender';
import { expensePath, Link, navigate, newExpenseKinds, type NewExpensePath } from '../router';
import { useSession } from '../session';
import { expenseChanged } from './expense-changes';
import { merchantLengthMax, routeLengthMax } from './expense-editor';
import { isFree, receiptLabel } from './expense-receipt';
import { categoryOptions, taxCodeOptions, useBooks, type Books } from './use-books';

const receiptsPageSize = 50;

const titles: Record<NewExpensePath, string> = {
  'out-of-pocket': 'Paid out of pocket',
  mileage: 'Mileage',
  'per-diem': 'Per diem',
};

export function NewExpensePage({ kind }: { kind: NewExpensePath }) {
  const books = useBooks();
  return (
    <section className="card narrow-card" aria-labelledby="new-expense-heading">
      <p className="small-text back-link">
        <Link href="/expenses">← My expenses</Link>
      </p>
      <h1 id="new-expense-heading">{titles[kind]}</h1>
      {books.status === 'loading' && <Loading what="the categories" />}
      {books.status === 'error' && <LoadError problem={books.problem} onRetry={books.retry} />}
      {books.status === 'ready' && <NewExpenseForm kind={kind} books={books.books} />}
    </section>
  );
}

interface Common {
  spentOn: string;
  categoryId: string;
  taxCodeId: string;
}

function NewExpenseForm({ kind, books }: { kind: NewExpensePath; books: Books }) {
  const { session } = useSession();
  const [common, setCommon] = useState<Common>({ spentOn: todayIn(session.company.timeZone), categoryId: '', taxCodeId: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [receiptId, setReceiptId] = useState('');
  const field = (name: string) => fields[name] ?? '';
  const set = (name: string) => (value: string) => setFields({ ...fields, [name]: value });
  const text = (name: string) => (field(name).trim() === '' ? undefined : field(name).trim());
  const body: RequestBody<'createExpense'> = {
    kind: newExpenseKinds[kind],
    spentOn: common.spentOn,
    categoryId: common.categoryId || null,
    taxCodeId: common.taxCodeId || null,
    merchant: text('merchant') ?? null,
    ...(kind === 'out-of-pocket' ? { amount: field('amount').trim(), receiptId: receiptId || null } : {}),
    ...(kind === 'mileage' ? { distanceKm: field('distanceKm').trim(), route: text('route') ?? null } : {}),
    ...(kind === 'per-diem' ? { country: field('country'), days: Number(field('days') || '0') } : {}),
  };
  const file = useAction(() => ok(api.POST('/api/v1/expenses', { body })), { invalidates: expenseChanged, onSuccess: (filed) => navigate(expensePath(filed.id)) });
  const problem = formProblem(file.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    file.mutate();
  }

  const kindFields: Record<NewExpensePath, ReactNode> = {
    'out-of-pocket': <OutOfPocketFields field={field} set={set} problem={problem} receiptId={receiptId} onReceipt={setReceiptId} />,
    mileage: <MileageFields field={field} set={set} problem={problem} />,
    'per-diem': <PerDiemFields field={field} set={set} problem={problem} />,
  };
  const shown = ['spentOn', 'categoryId', 'taxCodeId', 'merchant', 'amount', 'receiptId', 'distanceKm', 'route', 'country', 'days', 'kind'];
  return (
    <form onSubmit={submit} aria-label={titles[kind]} noValidate>
      {kindFields[kind]}
      <TextField label="Date" type="date" required value={common.spentOn} onChange={(spentOn) => setCommon({ ...common, spentOn })} error={problem.forField('spentOn')} />
      <SelectField label="Category" value={common.categoryId} onChange={(categoryId) => setCommon({ ...common, categoryId })} options={categoryOptions(books, null)} error={problem.forField('categoryId')} />
      <SelectField label="Tax code" value={common.taxCodeId} onChange={(taxCodeId) => setCommon({ ...common, taxCodeId })} options={taxCodeOptions(books, null)} error={problem.forField('taxCodeId')} />
      <ProblemMessage problem={problem.forForm(shown)} />
      <button type="submit" className="primary wide" disabled={file.isPending}>
        {file.isPending ? 'Adding…' : 'Add expense'}
      </button>
      <p className="muted small-text">You can split it, tag it and submit it on the next page.</p>
    </form>
  );
}

interface KindFieldsProps {
  field: (name: string) => string;
  set: (name: string) => (value: string) => void;
  problem: FormProblem;
}

function OutOfPocketFields({ field, set, problem, receiptId, onReceipt }: KindFieldsProps & { receiptId: string; onReceipt: (id: string) => void }) {
  const { session } = useSession();
  return (
    <>
      <TextField label={`Amount (${session.company.currency})`} inputMode="decimal" autoComplete="off" required value={field('amount')} onChange={set('amount')} error={problem.forField('amount')} hint="VAT included, as on the receipt." />
      <TextField label="Merchant" required maxLength={merchantLengthMax} autoComplete="off" value={field('merchant')} onChange={set('merchant')} error={problem.forField('merchant')} />
      <ReceiptChoice receiptId={receiptId} onChange={onReceipt} error={problem.forField('receiptId')} />
    </>
  );
}

/** The receipt of a new out-of-pocket expense: snapped now, or one sent before. */
function ReceiptChoice({ receiptId, onChange, error }: { receiptId: string; onChange: (id: string) => void; error: string | undefined }) {
  const { session } = useSession();
  const receipts = usePages('/api/v1/receipts', receiptsPageSize, { userId: session.person.id });
  const sender = useReceiptSender(undefined, (receipt) => onChange(receipt.id));
  const free = receipts.pages.status === 'ready' ? receipts.pages.items.filter(isFree) : [];
  const chosen = free.find((receipt) => receipt.id === receiptId);
  return (
    <fieldset className="receipt-choice">
      <legend>Receipt</legend>
      {chosen && (
        <div className="receipt-cell chosen-receipt">
          <ReceiptThumbnail receiptId={chosen.id} receipt={chosen} name={`Open receipt ${receiptName(chosen)}`} small />
          <span className="small-text">
            Attached: <strong>{chosen.fileName ?? receiptName(chosen)}</strong>
          </span>
        </div>
      )}
      <ReceiptFileInput label={chosen ? 'Use another photo or PDF' : 'Snap or upload receipt'} sender={sender} className={chosen ? 'secondary small' : 'primary small'} />
      {free.length > 0 && (
        <SelectField
          label="Or pick one you sent before"
          value={receiptId}
          onChange={onChange}
          options={[{ value: '', label: 'No receipt' }, ...free.map((receipt) => ({ value: receipt.id, label: receiptLabel(receipt, session.company.timeZone) }))]}
        />
      )}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

function MileageFields({ field, set, problem }: KindFieldsProps) {
  const settings = useQuery(getQuery('/api/v1/expense-settings'));
  const rate = settings.data?.mileageRate ?? null;
  return (
    <>
      <TextField label="Distance (km)" inputMode="decimal" autoComplete="off" required value={field('distanceKm')} onChange={set('distanceKm')} error={problem.forField('distanceKm')} hint="Up to three decimals, e.g. 12.3" />
      <TextField label="Route" maxLength={routeLengthMax} autoComplete="off" value={field('route')} onChange={set('route')} error={problem.forField('route')} hint="For example: Office – client – office" />
      <TextField label="Description (optional)" maxLength={merchantLengthMax} autoComplete="off" value={field('merchant')} onChange={set('merchant')} error={problem.forField('merchant')} />
      {settings.isError && <LoadError problem={settings.error} onRetry={() => void settings.refetch()} />}
      {rate &&
        (isZero(rate) ? (
          <p className="notice warning small-text">The company has no mileage rate yet: ask a bookkeeper to set one.</p>
        ) : (
          <p className="notice small-text rate-notice">Paid at {formatMoney(rate)} per km, the company’s rate; Outlay works out the amount.</p>
        ))}
    </>
  );
}

function PerDiemFields(props: KindFieldsProps) {
  const rates = useQuery(getQuery('/api/v1/per-diem-rates'));
  return (
    <Loaded query={rates} what="the per diem rates">
      {({ items }) =>
        items.length === 0 ? <Empty>The company has no per diem rates yet: ask a bookkeeper to add the countries you travel to.</Empty> : <PerDiemInputs {...props} rates={items} />
      }
    </Loaded>
  );
}

function PerDiemInputs({ field, set, problem, rates }: KindFieldsProps & { rates: PerDiemRate[] }) {
  const countryNames = regionNames();
  return (
    <>
      <SelectField
        label="Country"
        required
        value={field('country')}
        onChange={set('country')}
        options={[{ value: '', label: 'Choose a country' }, ...rates.map((rate) => ({ value: rate.country, label: `${countryNames(rate.country)} · ${formatMoney(rate.dailyRate)} a day` }))]}
        error={problem.forField('country')}
      />
      <TextField label="Days" type="number" min={1} max={366} required value={field('days')} onChange={set('days')} error={problem.forField('days')} />
      <TextField label="Description (optional)" maxLength={merchantLengthMax} autoComplete="off" value={field('merchant')} onChange={set('merchant')} error={problem.forField('merchant')} hint="For example: Trade fair in Hamburg" />
    </>
  );
}

/** "DE" → "Germany (DE)" in the browser's language, or the code alone. */
export function regionNames(): (code: string) => string {
  try {
    const names = new Intl.DisplayNames(undefined, { type: 'region' });
    return (code) => {
      const name = names.of(code);
      return name && name !== code ? `${name} (${code})` : code;
    };
  } catch {
    return (code) => code;
  }
}
