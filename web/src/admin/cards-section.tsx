// Every card in the company, with its holder; admins freeze, unfreeze, replace and cancel
// them here, change their controls and record a physical card's shipping.
import { useState } from 'react';
import { api, ok } from '../api/client';
import type { ApiProblem } from '../api/problem';
import { useAction } from '../api/queries';
import type { Card, CancelReason, Person, ReplaceReason } from '../api/types';
import { cancelReasonLabels, cardKindLabels, cardStatusLabels, formatExpiry, replaceReasonLabels } from '../cards/card-labels';
import { choicesOf } from '../format';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import type { Pages, PagesHandle } from '../components/use-pages';
import { CardControlsEditor } from './card-controls-editor';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';

export function holderNameOf(people: Pages<Person>): (userId: string) => string {
  return (userId) => {
    if (people.status !== 'ready') return '…';
    return people.items.find((person) => person.id === userId)?.name ?? t('admin.cards.unknownPerson');
  };
}

export function CardsSection({ cards, people }: { cards: PagesHandle<Card>; people: Pages<Person> }) {
  const { pages } = cards;
  const holderName = holderNameOf(people);
  return (
    <section className="card wide-card" aria-labelledby="cards-heading">
      <div className="card-title-row">
        <h2 id="cards-heading">{t('layout.sections.cards')}</h2>
        <button type="button" className="link-button" onClick={cards.reload} disabled={cards.fetching}>
          {t('pages.receipts.refresh')}
        </button>
      </div>
      {pages.status === 'loading' && <Loading what={t('admin.cards.what')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={cards.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{t('admin.cards.empty')}</Empty>
        ) : (
          <table className="responsive-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.cards.cardholder')}</th>
                <th scope="col">{t('admin.cards.card')}</th>
                <th scope="col">{t('admin.cards.purpose')}</th>
                <th scope="col">{t('admin.cards.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.cards.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((card) => (
                <CardRow key={card.id} card={card} holder={holderName(card.userId)} />
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={cards.loadMore} what={t('admin.cards.what')} />
    </section>
  );
}

type RowMode = 'idle' | 'cancelling' | 'replacing' | 'controls';

/** The shipping step an admin records next for a physical card, if any. */
function nextShipping(card: Card): { status: 'shipped' | 'delivered'; label: string } | null {
  if (card.kind !== 'physical' || card.status === 'cancelled' || card.status === 'expired') return null;
  if (card.shippingStatus === 'ordered') return { status: 'shipped', label: t('admin.cards.markShipped') };
  if (card.shippingStatus === 'shipped') return { status: 'delivered', label: t('admin.cards.markDelivered') };
  return null;
}

/** What an admin does to a card from its row; every one answers with the card (or two). */
export type CardAction =
  | { action: 'freeze' | 'unfreeze' }
  | { action: 'shipping'; status: 'shipped' | 'delivered' }
  | { action: 'cancel'; reason: CancelReason }
  | { action: 'replace'; reason: ReplaceReason };

function runCardAction(id: string, request: CardAction): Promise<unknown> {
  const path = { params: { path: { id } } };
  switch (request.action) {
    case 'freeze':
      return ok(api.POST('/api/v1/cards/{id}/freeze', { ...path, body: {} }));
    case 'unfreeze':
      return ok(api.POST('/api/v1/cards/{id}/unfreeze', { ...path, body: {} }));
    case 'shipping':
      return ok(api.POST('/api/v1/cards/{id}/shipping', { ...path, body: { status: request.status } }));
    case 'cancel':
      return ok(api.POST('/api/v1/cards/{id}/cancel', { ...path, body: { reason: request.reason } }));
    case 'replace':
      return ok(api.POST('/api/v1/cards/{id}/replace', { ...path, body: { reason: request.reason } }));
  }
}

function CardRow({ card, holder }: { card: Card; holder: string }) {
  const [mode, setMode] = useState<RowMode>('idle');
  const act = useAction((request: CardAction) => runCardAction(card.id, request), { invalidates: ['/api/v1/cards'], onSuccess: () => setMode('idle') });
  const label = t('admin.cards.cardEndingIn', { kind: cardKindLabels[card.kind], last4: card.last4 });
  const open = card.status !== 'cancelled' && card.status !== 'expired';

  return (
    <>
      <tr>
        <td data-label={t('admin.cards.cardholder')}>{holder}</td>
        <td data-label={t('admin.cards.card')}>
          {cardKindLabels[card.kind]} •••• {card.last4}
          <div className="muted small-text">{t('admin.cards.expires', { expiry: formatExpiry(card.expiryMonth, card.expiryYear) })}</div>
        </td>
        <td data-label={t('admin.cards.purpose')}>{card.purpose || '—'}</td>
        <td data-label={t('admin.cards.status')}>
          <span className={`badge badge-card-${card.status}`}>{cardStatusLabels[card.status]}</span>
          {card.cancelReason && card.cancelReason !== 'replaced' && <div className="muted small-text">{cancelReasonLabels[card.cancelReason]}</div>}
          {card.cancelReason === 'replaced' && <div className="muted small-text">{t('admin.cards.replaced')}</div>}
          {card.kind === 'physical' && card.shippingStatus && <div className="muted small-text">{shippingLabels[card.shippingStatus]}</div>}
        </td>
        <td className="actions-cell">
          {open && <CardActions card={card} holder={holder} label={label} busy={act.isPending} mode={mode} setMode={setMode} act={act.mutate} problem={act.error} />}
        </td>
      </tr>
      {mode === 'controls' && (
        <tr className="edit-row">
          <td colSpan={5}>
            <CardControlsEditor
              card={card}
              label={t('admin.cards.ofHolder', { card: label, holder })}
              onSaved={() => setMode('idle')}
              onCancel={() => setMode('idle')}
            />
          </td>
        </tr>
      )}
    </>
  );
}

interface CardActionsProps {
  card: Card;
  holder: string;
  label: string;
  busy: boolean;
  mode: RowMode;
  setMode: (mode: RowMode) => void;
  act: (request: CardAction) => void;
  problem: ApiProblem | null;
}

function CardActions({ card, holder, label, busy, mode, setMode, act, problem }: CardActionsProps) {
  const shipping = nextShipping(card);
  const named = t('admin.cards.ofHolder', { card: label, holder });
  return (
    <div className="row-actions">
      {(card.status === 'active' || card.status === 'frozen') && (
        <button
          type="button"
          className="secondary small"
          disabled={busy}
          aria-label={card.status === 'frozen' ? t('admin.cards.unfreezeNamed', { card: named }) : t('admin.cards.freezeNamed', { card: named })}
          onClick={() => act({ action: card.status === 'frozen' ? 'unfreeze' : 'freeze' })}
        >
          {card.status === 'frozen' ? t('admin.cards.unfreeze') : t('admin.cards.freeze')}
        </button>
      )}
      <button
        type="button"
        className="secondary small"
        aria-expanded={mode === 'controls'}
        aria-label={t('admin.controls.formOf', { card: named })}
        onClick={() => setMode(mode === 'controls' ? 'idle' : 'controls')}
      >
        {t('admin.controls.heading')}
      </button>
      {shipping && (
        <button type="button" className="secondary small" disabled={busy} aria-label={t('admin.cards.shippingNamed', { action: shipping.label, card: named })} onClick={() => act({ action: 'shipping', status: shipping.status })}>
          {shipping.label}
        </button>
      )}
      {mode === 'replacing' ? (
        <ReasonConfirm
          question={t('admin.cards.replaceNamed', { card: label })}
          reasons={choicesOf(replaceReasonLabels)}
          labels={replaceReasonLabels}
          initial="damaged"
          confirmLabel={t('admin.cards.replaceNow')}
          busy={busy}
          onConfirm={(reason) => act({ action: 'replace', reason })}
          onKeep={() => setMode('idle')}
        />
      ) : (
        <button type="button" className="secondary small" disabled={busy} aria-label={t('admin.cards.replaceNamed', { card: named })} onClick={() => setMode('replacing')}>
          {t('admin.cards.replace')}
        </button>
      )}
      {mode === 'cancelling' ? (
        <ReasonConfirm
          question={t('admin.cards.cancelQuestion', { card: label })}
          reasons={choicesOf(cancelReasonLabels)}
          labels={cancelReasonLabels}
          initial="no_longer_needed"
          confirmLabel={t('admin.cards.cancelForGood')}
          busy={busy}
          onConfirm={(reason) => act({ action: 'cancel', reason })}
          onKeep={() => setMode('idle')}
        />
      ) : (
        <button type="button" className="danger-outline small" disabled={busy} aria-label={t('admin.cards.cancelNamed', { card: named })} onClick={() => setMode('cancelling')}>
          {t('admin.cards.cancel')}
        </button>
      )}
      <ProblemMessage problem={problem} />
    </div>
  );
}

const shippingLabels: Record<NonNullable<Card['shippingStatus']>, string> = labelsOf('admin.cards.shipping', en.admin.cards.shipping);

interface ReasonConfirmProps<T extends string> {
  question: string;
  reasons: readonly T[];
  labels: Record<T, string>;
  initial: T;
  confirmLabel: string;
  busy: boolean;
  onConfirm: (reason: T) => void;
  onKeep: () => void;
}

/** An action that cannot be undone and needs a reason: asked in place before it runs. */
function ReasonConfirm<T extends string>({ question, reasons, labels, initial, confirmLabel, busy, onConfirm, onKeep }: ReasonConfirmProps<T>) {
  const [reason, setReason] = useState<T>(initial);
  return (
    <span className="confirm" role="group" aria-label={question}>
      <select aria-label={t('admin.cards.reason')} value={reason} onChange={(event) => setReason(event.target.value as T)}>
        {reasons.map((value) => (
          <option key={value} value={value}>
            {labels[value]}
          </option>
        ))}
      </select>
      <button type="button" className="danger small" disabled={busy} onClick={() => onConfirm(reason)}>
        {confirmLabel}
      </button>
      <button type="button" className="secondary small" onClick={onKeep}>
        {t('admin.cards.keep')}
      </button>
    </span>
  );
}
