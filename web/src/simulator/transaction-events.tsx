// What the card network would do next with a transaction, played by the admin through the
// simulator: clear (optionally at another amount), reverse or expire a hold, refund a
// settled purchase. Amounts are in the merchant's currency, as the network sends them.
import { useState } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { CardDecision, CardTransaction } from '../api/types';
import { declineReasonText } from '../cards/card-labels';
import { ProblemMessage } from '../components/status';

type EventType = 'clearing' | 'reversal' | 'expiry' | 'refund';

export function TransactionEvents({ transaction, onDone }: { transaction: CardTransaction; onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const pending = transaction.state === 'pending';
  const refundable = transaction.state === 'settled' && transaction.kind !== 'refund';
  if (!pending && !refundable) return null;
  const merchantAmount = transaction.merchantAmount.amount;

  async function send(type: EventType) {
    setBusy(true);
    setProblem(null);
    setRefused(null);
    // A refund names its amount; without one typed, the whole purchase is refunded.
    const typed = amount.trim() || (type === 'refund' ? merchantAmount : '');
    const withAmount = type === 'clearing' || type === 'refund';
    try {
      const decision = await api.post<CardDecision>('/simulator/events', {
        transactionId: transaction.id,
        type,
        ...(withAmount && typed ? { amount: typed } : {}),
      });
      if (decision.approved) onDone();
      else setRefused(declineReasonText(decision));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

  const currency = transaction.merchantAmount.currency;
  return (
    <div className="event-actions" role="group" aria-label={`Network events for ${transaction.merchant.name}`}>
      <input
        aria-label={pending ? `Amount to clear (${currency})` : `Amount to refund (${currency})`}
        inputMode="decimal"
        autoComplete="off"
        placeholder={merchantAmount}
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
      />
      {pending ? (
        <>
          <button type="button" className="secondary small" disabled={busy} onClick={() => send('clearing')}>
            Clear
          </button>
          <button type="button" className="secondary small" disabled={busy} onClick={() => send('reversal')}>
            Reverse
          </button>
          <button type="button" className="secondary small" disabled={busy} onClick={() => send('expiry')}>
            Expire
          </button>
        </>
      ) : (
        <button type="button" className="secondary small" disabled={busy} onClick={() => send('refund')}>
          Refund
        </button>
      )}
      <ProblemMessage problem={problem} />
      {refused && (
        <p className="problem" role="alert">
          Refused: {refused}
        </p>
      )}
    </div>
  );
}
