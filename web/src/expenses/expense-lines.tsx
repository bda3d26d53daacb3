// The category and VAT of an expense: one category and tax code for the whole amount, or a
// split into lines, each with its amount, category and tax code. What is left to split is
// worked out in minor units as the person types; the VAT of each line is the server's,
// shown once the line is saved as it is.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import type { Expense, ExpenseLine, Money } from '../api/types';
import { AmountField } from '../components/amount-field';
import { SelectField, TextField } from '../components/fields';
import type { FormProblem } from '../components/form-problem';
import { formatMoney } from '../format';
import { isZero, remainderOf } from '../money';
import { isSavedLine, newLineKey, totalOf, type ExpenseDraft, type LineDraft } from './expense-draft';
import { linesOfReceiptItems } from './receipt-items';
import { categoryOptions, taxCodeOptions, type Books } from './use-books';
import { t } from '../i18n/i18n';

/** src/expenses/expense-details.ts linesMax. */
const linesMax = 50;
const lineNoteLengthMax = 200;

interface ExpenseLinesProps {
  draft: ExpenseDraft;
  expense: Expense;
  books: Books;
  problem: FormProblem;
  onChange: (draft: ExpenseDraft) => void;
}

export function ExpenseLines(props: ExpenseLinesProps) {
  return props.draft.split ? <SplitLines {...props} /> : <WholeAmount {...props} />;
}

/**
 * A button that splits the expense by the items its receipt lists (receipt-items.ts), each
 * line with the item as its note and the category and tax code of the first line, for the
 * person to adjust. Shown only when the receipt was read with items that fit the amount.
 */
function SplitByReceiptItems({ draft, expense, onChange }: Pick<ExpenseLinesProps, 'draft' | 'expense' | 'onChange'>) {
  const receiptId = expense.receipt.receiptId;
  const receipt = useQuery({ ...getQuery('/api/v1/receipts/{id}', { params: { path: { id: receiptId ?? '' } } }), enabled: receiptId !== null });
  const read = receipt.data;
  if (!read || read.reading.state !== 'read' || !read.lineItems) return null;
  const suggested = linesOfReceiptItems(read.lineItems, read.fields, totalOf(draft, expense), t('expenses.lines.receiptRest'));
  if (!suggested) return null;
  const first = draft.lines[0]!;
  return (
    <button
      type="button"
      className="secondary small"
      onClick={() =>
        onChange({
          ...draft,
          split: true,
          lines: suggested.map((line) => ({ key: newLineKey(), amount: line.amount, categoryId: first.categoryId, taxCodeId: first.taxCodeId, note: line.note })),
        })
      }
    >
      {t('expenses.lines.splitByItems', { count: read.lineItems.length })}
    </button>
  );
}

const lineSetter = (draft: ExpenseDraft, onChange: (draft: ExpenseDraft) => void) => (index: number, line: LineDraft) =>
  onChange({ ...draft, lines: draft.lines.map((existing, at) => (at === index ? line : existing)) });

/** One category and tax code for the whole amount. */
function WholeAmount({ draft, expense, books, problem, onChange }: ExpenseLinesProps) {
  const total = totalOf(draft, expense);
  const setLine = lineSetter(draft, onChange);
  const line = draft.lines[0]!;
  return (
    <fieldset className="expense-lines">
      <legend>{t('expenses.lines.categoryAndVat')}</legend>
      <div className="two-column-form">
        <SelectField
          label={t('expenses.fields.category')}
          value={line.categoryId}
          onChange={(categoryId) => setLine(0, { ...line, categoryId })}
          options={categoryOptions(books, line.categoryId || null)}
          error={problem.forExactField('lines.0.categoryId') ?? problem.forExactField('categoryId') ?? problem.forExactField('lines')}
        />
        <SelectField
          label={t('expenses.fields.taxCode')}
          value={line.taxCodeId}
          onChange={(taxCodeId) => setLine(0, { ...line, taxCodeId })}
          options={taxCodeOptions(books, line.taxCodeId || null)}
          error={problem.forExactField('lines.0.taxCodeId') ?? problem.forExactField('taxCodeId')}
        />
      </div>
      <LineVat line={{ ...line, amount: total.amount }} saved={expense.lines.length === 1 ? expense.lines[0] : undefined} />
      <button
        type="button"
        className="secondary small"
        onClick={() =>
          onChange({
            ...draft,
            split: true,
            lines: [{ ...line, amount: total.amount }, { key: newLineKey(), amount: '', categoryId: '', taxCodeId: line.taxCodeId, note: '' }],
          })
        }
      >
        {t('expenses.lines.split')}
      </button>
      <SplitByReceiptItems draft={draft} expense={expense} onChange={onChange} />
    </fieldset>
  );
}

function SplitLines({ draft, expense, books, problem, onChange }: ExpenseLinesProps) {
  const total = totalOf(draft, expense);
  const setLine = lineSetter(draft, onChange);
  const wholeLinesError = problem.forExactField('lines');
  const remainder = remainderOf(total, draft.lines.map((line) => line.amount.trim()));
  return (
    <fieldset className="expense-lines">
      <legend>{t('expenses.lines.splitLegend')}</legend>
      <ol className="line-list">
        {draft.lines.map((line, index) => (
          <li key={line.key}>
            <LineEditor
              index={index}
              line={line}
              saved={expense.lines[index]}
              books={books}
              problem={problem}
              currency={total.currency}
              onChange={(changed) => setLine(index, changed)}
              onRemove={draft.lines.length > 1 ? () => onChange({ ...draft, lines: draft.lines.filter((_, at) => at !== index) }) : undefined}
            />
          </li>
        ))}
      </ol>
      <Remainder remainder={remainder} />
      {wholeLinesError && <p className="field-error">{wholeLinesError}</p>}
      <div className="button-row wrap">
        <button
          type="button"
          className="secondary small"
          disabled={draft.lines.length >= linesMax}
          onClick={() =>
            onChange({
              ...draft,
              lines: [
                ...draft.lines,
                // A new line takes what is left, so two clicks split an amount in two.
                { key: newLineKey(), amount: remainder && !remainder.amount.startsWith('-') && !isZero(remainder) ? remainder.amount : '', categoryId: '', taxCodeId: '', note: '' },
              ],
            })
          }
        >
          {t('expenses.lines.addLine')}
        </button>
        <button
          type="button"
          className="link-button small-text"
          onClick={() => onChange({ ...draft, split: false, lines: [{ ...draft.lines[0]!, amount: total.amount }] })}
        >
          {t('expenses.lines.whole')}
        </button>
        <SplitByReceiptItems draft={draft} expense={expense} onChange={onChange} />
      </div>
    </fieldset>
  );
}

interface LineEditorProps {
  index: number;
  line: LineDraft;
  saved: ExpenseLine | undefined;
  books: Books;
  problem: FormProblem;
  currency: string;
  onChange: (line: LineDraft) => void;
  onRemove: (() => void) | undefined;
}

function LineEditor({ index, line, saved, books, problem, currency, onChange, onRemove }: LineEditorProps) {
  const number = index + 1;
  const field = (name: string) => problem.forExactField(`lines.${index}.${name}`);
  return (
    <div className="line-editor" role="group" aria-label={t('expenses.lines.line', { number })}>
      <div className="line-editor-title">
        <strong>{t('expenses.lines.line', { number })}</strong>
        {onRemove && (
          <button type="button" className="link-button small-text" aria-label={t('expenses.lines.removeLine', { number })} onClick={onRemove}>
            {t('expenses.lines.remove')}
          </button>
        )}
      </div>
      <div className="line-fields">
        <AmountField label={t('expenses.fields.amountIn', { currency })} currency={currency} required value={line.amount} onChange={(amount) => onChange({ ...line, amount })} error={field('amount')} />
        <SelectField label={t('expenses.fields.category')} value={line.categoryId} onChange={(categoryId) => onChange({ ...line, categoryId })} options={categoryOptions(books, line.categoryId || null)} error={field('categoryId')} />
        <SelectField label={t('expenses.fields.taxCode')} value={line.taxCodeId} onChange={(taxCodeId) => onChange({ ...line, taxCodeId })} options={taxCodeOptions(books, line.taxCodeId || null)} error={field('taxCodeId')} />
        <TextField label={t('expenses.lines.lineNote')} maxLength={lineNoteLengthMax} autoComplete="off" value={line.note} onChange={(note) => onChange({ ...line, note })} error={field('note')} />
      </div>
      <LineVat line={line} saved={saved} />
    </div>
  );
}

/** The server's VAT for a line as saved; for a line changed since, a word that it is coming. */
function LineVat({ line, saved }: { line: LineDraft; saved: ExpenseLine | undefined }) {
  if (!isSavedLine(line, saved)) return <p className="muted small-text line-vat">{t('expenses.lines.vatOnSave')}</p>;
  return (
    <p className="small-text line-vat">
      {t('expenses.lines.vat', { amount: formatMoney(saved.vat) })}
      {saved.deductibleVat.amount !== saved.vat.amount && <span className="muted"> · {t('expenses.lines.deductible', { amount: formatMoney(saved.deductibleVat) })}</span>}
    </p>
  );
}

function Remainder({ remainder }: { remainder: Money | null }) {
  let text: string;
  let className = 'remainder';
  if (remainder === null) {
    text = t('expenses.lines.typeEach');
  } else if (isZero(remainder)) {
    text = t('expenses.lines.addsUp');
    className += ' remainder-done';
  } else if (remainder.amount.startsWith('-')) {
    text = t('expenses.lines.over', { amount: formatMoney({ ...remainder, amount: remainder.amount.slice(1) }) });
    className += ' remainder-over';
  } else {
    text = t('expenses.lines.left', { amount: formatMoney(remainder) });
  }
  return (
    <p className={className} role="status" aria-live="polite">
      {text}
    </p>
  );
}
