// What the card network would do next with a transaction, played by the admin through the
// simulator: clear (optionally at another amount), reverse or expire a hold, refund a
// settled purchase. Amounts are in the merchant's currency, as the network sends them.
import { useState } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { CardTransaction, RequestBody } from '../api/types';
import { declineReasonText } from '../cards/card-labels';
import { ProblemMessage } from '../components/status';
import { t } from '../i18n/i18n';

type EventType = RequestBody<'simulateCardEvent'>['type'];

export function TransactionEvents({ transaction }: { transaction: CardTransaction }) {
  const [amount, setAmount] = useState('');
  const [refused, setRefused] = useState<string | null>(null);
  const merchantAmount = transaction.merchantAmount.amount;
  const sendEvent = useAction(
    (type: EventType) => {
      // A refund names its amount; without one typed, the whole purchase is refunded.
      const typed = amount.trim() || (type === 'refund' ? merchantAmount : '');
      const withAmount = type === 'clearing' || type === 'refund';
      return ok(api.POST('/api/v1/simulator/events', { body: { transactionId: transaction.id, type, ...(withAmount && typed ? { amount: typed } : {}) } }));
    },
    { invalidates: ['/api/v1/card-transactions', '/api/v1/wallet'], onSuccess: (decision) => setRefused(decision.approved ? null : declineReasonText(decision)) },
  );
  const pending = transaction.state === 'pending';
  const refundable = transaction.state === 'settled' && transaction.kind !== 'refund';
  if (!pending && !refundable) return null;
  const busy = sendEvent.isPending;
  const send = (type: EventType) => {
    setRefused(null);
    sendEvent.mutate(type);
  };

  const currency = transaction.merchantAmount.currency;
  return (
    <div className="event-actions" role="group" aria-label={t('simulator.eventsFor', { merchant: transaction.merchant.name })}>
      <input
        aria-label={pending ? t('simulator.amountToClear', { currency }) : t('simulator.amountToRefund', { currency })}
        inputMode="decimal"
        autoComplete="off"
        placeholder={merchantAmount}
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
      />
      {pending ? (
        <>
          <button type="button" className="secondary small" disabled={busy} onClick={() => send('clearing')}>
            {t('simulator.clear')}
          </button>
          <button type="button" className="secondary small" disabled={busy} onClick={() => send('reversal')}>
            {t('simulator.reverse')}
          </button>
          <button type="button" className="secondary small" disabled={busy} onClick={() => send('expiry')}>
            {t('simulator.expire')}
          </button>
        </>
      ) : (
        <button type="button" className="secondary small" disabled={busy} onClick={() => send('refund')}>
          {t('simulator.refund')}
        </button>
      )}
      <ProblemMessage problem={sendEvent.error} prefix={t('simulator.notDone')} />
      {refused && (
        <p className="problem" role="alert">
          {t('simulator.refused', { reason: refused })}
        </p>
      )}
    </div>
  );
}
