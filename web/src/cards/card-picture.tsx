// A card drawn small: kind, last four digits, expiry and status, the way it looks in a wallet.
import type { ReactNode } from 'react';
import type { Card } from '../api/types';
import { cardKindLabels, cardStatusLabels, formatExpiry } from './card-labels';
import { t } from '../i18n/i18n';

export function CardPicture({ card, number, children }: { card: Card; number?: string; children?: ReactNode }) {
  const spaced = number ? number.replace(/(\d{4})(?=\d)/g, '$1 ') : `•••• •••• •••• ${card.last4}`;
  return (
    <div className={`card-picture card-picture-${card.status}`} aria-label={t('admin.cards.cardEndingIn', { kind: cardKindLabels[card.kind], last4: card.last4 })} role="group">
      <div className="card-picture-top">
        <span className="card-picture-kind">{cardKindLabels[card.kind]}</span>
        <span className={`badge badge-card-${card.status}`}>{cardStatusLabels[card.status]}</span>
      </div>
      <div className="card-picture-number">{spaced}</div>
      <div className="card-picture-bottom">
        <span>{card.purpose || '\u00a0'}</span>
        <span>
          <span className="card-picture-caption">{t('cards.expiresCaption')} </span>
          {formatExpiry(card.expiryMonth, card.expiryYear)}
        </span>
      </div>
      {children}
    </div>
  );
}
