// Adding an expense the person paid, drove or travelled themselves: out of pocket (amount in
// any currency, day, merchant and the receipt, snapped or picked: its reading fills in what
// the person has not typed), mileage (distance and route at the company's rate) or per diem
// (a country of the company's rates and the days). Once filed it opens in the editor, to
// split, tag and submit.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { PerDiemRate, Receipt, RequestBody } from '../api/types';
import { AmountField } from '../components/amount-field';
import { SelectField, TextAreaField, TextField } from '../components/fields';
import { formProblem, type FormProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { exampleAmount } from '../components/problem-text';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { todayIn } from '../dates';
import { formatMoney } from '../format';
import { i18n, t } from '../i18n/i18n';
import { isZero } from '../money';
import { ReceiptFileInput } from '../receipts/receipt-file-input';
import { ReceiptThumbnail } from '../receipts/receipt-thumbnail';
import { isBeingRead, receiptName } from '../receipts/receipt-labels';
import { mismatchNoteLengthMax } from '../receipts/receipt-mismatches';
import { whileReading } from '../receipts/reading-poll';
import { useReceiptSender } from '../receipts/use-receipt-sender';
import { expensePath, Link, navigate, newExpenseKinds, type NewExpensePath } from '../router';
import { useSession } from '../session';
import { expenseChanged } from './expense-changes';
import { merchantLengthMax, routeLengthMax } from './expense-editor';
import { isFree, receiptLabel } from './expense-receipt';
import { paidCurrencies, prefillOf, type Prefill } from './receipt-prefill';
import { categoryOptions, taxCodeOptions, useBooks, type Books } from './use-books';

const receiptsPageSize = 50;

const titles = (): Record<NewExpensePath, string> => ({
  'out-of-pocket': t('expenses.new.titleOutOfPocket'),
  mileage: t('expenses.new.titleMileage'),
  'per-diem': t('expenses.new.titlePerDiem'),
});

export function NewExpensePage({ kind }: { kind: NewExpensePath }) {
  const books = useBooks();
  return (
    <section className="card narrow-card" aria-labelledby="new-expense-heading">
      <p className="small-text back-link">
        <Link href="/expenses">{t('expenses.new.back')}</Link>
      </p>
      <h1 id="new-expense-heading">{titles()[kind]}</h1>
      {books.status === 'loading' && <Loading what={t('expenses.new.loadingCategories')} />}
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

/** The form's inputs as typed, and which of them the person typed themselves (a receipt's
 * reading fills in only the others). */
function useFormFields(initial: Common) {
  const [common, setCommon] = useState<Common>(initial);
  const [fields, setFields] = useState<Record<string, string>>({});
  const typed = useRef(new Set<string>());
  const field = (name: string) => fields[name] ?? '';
  const set = (name: string) => (value: string) => {
    typed.current.add(name);
    setFields((previous) => ({ ...previous, [name]: value }));
  };
  const setCommonField = (name: keyof Common) => (value: string) => {
    typed.current.add(name);
    setCommon((previous) => ({ ...previous, [name]: value }));
  };
  /** Fills in what the person has not typed; says what it filled in. */
  function fill(prefill: Prefill): string[] {
    const untyped = (name: string) => !typed.current.has(name);
    const filled = (['amount', 'currency', 'merchant'] as const).filter((name) => prefill[name] !== undefined && untyped(name) && !(name === 'currency' && !untyped('amount')));
    setFields((previous) => ({ ...previous, ...Object.fromEntries(filled.map((name) => [name, prefill[name]!])) }));
    const commonFilled = (['spentOn', 'taxCodeId'] as const).filter((name) => prefill[name] !== undefined && untyped(name));
    setCommon((previous) => ({ ...previous, ...Object.fromEntries(commonFilled.map((name) => [name, prefill[name]!])) }));
    return [...filled, ...commonFilled];
  }
  return { common, field, set, setCommonField, fill };
}

const prefillLabels = (): Record<string, string> => ({
  amount: t('expenses.new.prefill.amount'),
  currency: t('expenses.new.prefill.currency'),
  merchant: t('expenses.new.prefill.merchant'),
  spentOn: t('expenses.new.prefill.spentOn'),
  taxCodeId: t('expenses.new.prefill.taxCodeId'),
});

function NewExpenseForm({ kind, books }: { kind: NewExpensePath; books: Books }) {
  const { session } = useSession();
  const form = useFormFields({ spentOn: todayIn(session.company.timeZone), categoryId: '', taxCodeId: '' });
  const { common, field, set, setCommonField } = form;
  const [receiptId, setReceiptId] = useState('');
  const [prefilled, setPrefilled] = useState<{ receiptId: string; names: string[] } | null>(null);
  const text = (name: string) => (field(name).trim() === '' ? undefined : field(name).trim());
  const body: RequestBody<'createExpense'> = {
    kind: newExpenseKinds[kind],
    spentOn: common.spentOn,
    categoryId: common.categoryId || null,
    taxCodeId: common.taxCodeId || null,
    merchant: text('merchant') ?? null,
    ...(kind === 'out-of-pocket' ? { amount: field('amount').trim(), currency: field('currency') || session.company.currency, receiptId: receiptId || null, receiptNote: text('receiptNote') ?? null } : {}),
    ...(kind === 'mileage' ? { distanceKm: field('distanceKm').trim(), route: text('route') ?? null } : {}),
    ...(kind === 'per-diem' ? { country: field('country'), days: Number(field('days') || '0') } : {}),
  };
  const file = useAction(() => ok(api.POST('/api/v1/expenses', { body })), { invalidates: expenseChanged, onSuccess: (filed) => navigate(expensePath(filed.id)) });
  const problem = formProblem(file.error);
  function fillFrom(receipt: Receipt) {
    if (prefilled?.receiptId === receipt.id) return;
    setPrefilled({ receiptId: receipt.id, names: form.fill(prefillOf(receipt, books.taxCodes, session.company.currency)) });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    file.mutate();
  }

  const kindFields: Record<NewExpensePath, ReactNode> = {
    'out-of-pocket': <OutOfPocketFields field={field} set={set} problem={problem} receiptId={receiptId} onReceipt={setReceiptId} onRead={fillFrom} />,
    mileage: <MileageFields field={field} set={set} problem={problem} />,
    'per-diem': <PerDiemFields field={field} set={set} problem={problem} />,
  };
  const shown = ['spentOn', 'categoryId', 'taxCodeId', 'merchant', 'amount', 'currency', 'receiptId', 'receiptNote', 'distanceKm', 'route', 'country', 'days', 'kind'];
  return (
    <form onSubmit={submit} aria-label={titles()[kind]} noValidate>
      {prefilled && prefilled.receiptId === receiptId && prefilled.names.length > 0 && (
        <p className="notice info small-text" role="status">
          {t('expenses.new.prefilled', { fields: prefilled.names.map((name) => prefillLabels()[name] ?? name).join(', ') })}
        </p>
      )}
      {kindFields[kind]}
      <TextField label={t('expenses.fields.date')} type="date" required value={common.spentOn} onChange={setCommonField('spentOn')} error={problem.forField('spentOn')} />
      <SelectField label={t('expenses.fields.category')} value={common.categoryId} onChange={setCommonField('categoryId')} options={categoryOptions(books, null)} error={problem.forField('categoryId')} />
      <SelectField label={t('expenses.fields.taxCode')} value={common.taxCodeId} onChange={setCommonField('taxCodeId')} options={taxCodeOptions(books, null)} error={problem.forField('taxCodeId')} />
      <ProblemMessage problem={problem.forForm(shown)} />
      <button type="submit" className="primary wide" disabled={file.isPending}>
        {file.isPending ? t('expenses.new.adding') : t('expenses.new.add')}
      </button>
      <p className="muted small-text">{t('expenses.new.nextPage')}</p>
    </form>
  );
}

interface KindFieldsProps {
  field: (name: string) => string;
  set: (name: string) => (value: string) => void;
  problem: FormProblem;
}

interface OutOfPocketProps extends KindFieldsProps {
  receiptId: string;
  onReceipt: (id: string) => void;
  /** The chosen receipt has been read: what it says can fill in the form. */
  onRead: (receipt: Receipt) => void;
}

function OutOfPocketFields({ field, set, problem, receiptId, onReceipt, onRead }: OutOfPocketProps) {
  const { session } = useSession();
  const currency = field('currency') || session.company.currency;
  const currencies = [session.company.currency, ...paidCurrencies.filter((code) => code !== session.company.currency)];
  const noteAsked = problem.forField('receiptNote') !== undefined || field('receiptNote') !== '';
  return (
    <>
      <div className="two-column-form">
        <AmountField label={t('expenses.fields.amountIn', { currency })} currency={currency} required value={field('amount')} onChange={set('amount')} error={problem.forField('amount')} hint={t('expenses.fields.amountHint')} />
        <SelectField label={t('expenses.fields.currency')} value={currency} onChange={set('currency')} options={currencies.map((code) => ({ value: code, label: code }))} error={problem.forField('currency')} />
      </div>
      {currency !== session.company.currency && <p className="notice small-text rate-notice">{t('expenses.new.paidBackIn', { currency: session.company.currency })}</p>}
      <TextField label={t('expenses.fields.merchant')} required maxLength={merchantLengthMax} autoComplete="off" value={field('merchant')} onChange={set('merchant')} error={problem.forField('merchant')} />
      <ReceiptChoice receiptId={receiptId} onChange={onReceipt} onRead={onRead} error={problem.forField('receiptId')} />
      {noteAsked && (
        <TextAreaField
          label={t('expenses.fields.receiptNote')}
          maxLength={mismatchNoteLengthMax}
          value={field('receiptNote')}
          onChange={set('receiptNote')}
          error={problem.forField('receiptNote')}
          hint={t('expenses.fields.receiptNoteHint')}
        />
      )}
    </>
  );
}

/** The receipt of a new out-of-pocket expense: snapped now, or one sent before; once read,
 * what it says is handed on to fill in the form. */
function ReceiptChoice({ receiptId, onChange, onRead, error }: { receiptId: string; onChange: (id: string) => void; onRead: (receipt: Receipt) => void; error: string | undefined }) {
  const { session } = useSession();
  const receipts = usePages('/api/v1/receipts', receiptsPageSize, { userId: session.person.id }, { pollWhile: whileReading });
  const sender = useReceiptSender(undefined, (receipt) => onChange(receipt.id));
  const free = receipts.pages.status === 'ready' ? receipts.pages.items.filter(isFree) : [];
  const chosen = free.find((receipt) => receipt.id === receiptId);
  const readChosen = chosen && chosen.reading.state === 'read' ? chosen : undefined;
  const onReadNow = useRef(onRead);
  onReadNow.current = onRead;
  useEffect(() => {
    if (readChosen) onReadNow.current(readChosen);
  }, [readChosen]);
  return (
    <fieldset className="receipt-choice">
      <legend>{t('expenses.fields.receipt')}</legend>
      {chosen && (
        <div className="receipt-cell chosen-receipt">
          <ReceiptThumbnail receiptId={chosen.id} receipt={chosen} name={t('expenses.new.openReceipt', { name: receiptName(chosen) })} small />
          <span className="small-text">
            {t('expenses.new.attachedReceipt')} <strong>{chosen.fileName ?? receiptName(chosen)}</strong>
            {isBeingRead(chosen) && <span className="muted"> · {t('expenses.new.reading')}</span>}
          </span>
        </div>
      )}
      <ReceiptFileInput label={chosen ? t('expenses.new.anotherPhoto') : t('expenses.new.snapReceipt')} sender={sender} className={chosen ? 'secondary small' : 'primary small'} />
      {free.length > 0 && (
        <SelectField
          label={t('expenses.new.pickSent')}
          value={receiptId}
          onChange={onChange}
          options={[{ value: '', label: t('expenses.new.noReceipt') }, ...free.map((receipt) => ({ value: receipt.id, label: receiptLabel(receipt, session.company.timeZone) }))]}
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
      <AmountField label={t('expenses.fields.distanceKm')} decimals={3} required value={field('distanceKm')} onChange={set('distanceKm')} error={problem.forField('distanceKm')} hint={t('expenses.fields.distanceHint', { example: exampleAmount('12.3') })} />
      <TextField label={t('expenses.fields.route')} maxLength={routeLengthMax} autoComplete="off" value={field('route')} onChange={set('route')} error={problem.forField('route')} hint={t('expenses.fields.routeHint')} />
      <TextField label={t('expenses.fields.descriptionOptional')} maxLength={merchantLengthMax} autoComplete="off" value={field('merchant')} onChange={set('merchant')} error={problem.forField('merchant')} />
      {settings.isError && <LoadError problem={settings.error} onRetry={() => void settings.refetch()} />}
      {rate &&
        (isZero(rate) ? (
          <p className="notice warning small-text">{t('expenses.new.noMileageRate')}</p>
        ) : (
          <p className="notice small-text rate-notice">{t('expenses.new.mileageRate', { rate: formatMoney(rate) })}</p>
        ))}
    </>
  );
}

function PerDiemFields(props: KindFieldsProps) {
  const rates = useQuery(getQuery('/api/v1/per-diem-rates'));
  return (
    <Loaded query={rates} what={t('expenses.new.loadingPerDiemRates')}>
      {({ items }) =>
        items.length === 0 ? <Empty>{t('expenses.new.noPerDiemRates')}</Empty> : <PerDiemInputs {...props} rates={items} />
      }
    </Loaded>
  );
}

function PerDiemInputs({ field, set, problem, rates }: KindFieldsProps & { rates: PerDiemRate[] }) {
  const countryNames = regionNames();
  return (
    <>
      <SelectField
        label={t('expenses.fields.country')}
        required
        value={field('country')}
        onChange={set('country')}
        options={[{ value: '', label: t('expenses.new.chooseCountry') }, ...rates.map((rate) => ({ value: rate.country, label: t('expenses.new.perDiemOption', { country: countryNames(rate.country), rate: formatMoney(rate.dailyRate) }) }))]}
        error={problem.forField('country')}
      />
      <TextField label={t('expenses.fields.days')} type="number" min={1} max={366} required value={field('days')} onChange={set('days')} error={problem.forField('days')} />
      <TextField label={t('expenses.fields.descriptionOptional')} maxLength={merchantLengthMax} autoComplete="off" value={field('merchant')} onChange={set('merchant')} error={problem.forField('merchant')} hint={t('expenses.fields.perDiemHint')} />
    </>
  );
}

/** "DE" → "Germany (DE)" in the person's language, or the code alone. */
export function regionNames(): (code: string) => string {
  try {
    const names = new Intl.DisplayNames(i18n.language, { type: 'region' });
    return (code) => {
      const name = names.of(code);
      return name && name !== code ? `${name} (${code})` : code;
    };
  } catch {
    return (code) => code;
  }
}
