// An admin changes one card's spending controls; only the controls changed are sent, and an
// API error shows beside the control it names.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Card, CardControlsInput } from '../api/types';
import { ProblemMessage } from '../components/status';
import { useSession } from '../session';
import { changedControls, controlError, draftFromControls, namesAControl } from './controls-draft';
import { ControlsFields } from './controls-fields';
import { t } from '../i18n/i18n';

interface CardControlsEditorProps {
  card: Card;
  /** "Virtual card ending in 4242 of Emma Nørgaard": names the form. */
  label: string;
  onSaved: () => void;
  onCancel: () => void;
}

export function CardControlsEditor({ card, label, onSaved, onCancel }: CardControlsEditorProps) {
  const { session } = useSession();
  const [draft, setDraft] = useState(() => draftFromControls(card.controls));
  const [unchanged, setUnchanged] = useState(false);
  const save = useAction((changes: CardControlsInput) => ok(api.PATCH('/api/v1/cards/{id}/controls', { params: { path: { id: card.id } }, body: changes })), {
    invalidates: ['/api/v1/cards'],
    onSuccess: onSaved,
  });
  const problem = save.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    const changes = changedControls(card.controls, draft);
    save.reset();
    setUnchanged(Object.keys(changes).length === 0);
    if (Object.keys(changes).length > 0) save.mutate(changes);
  }

  return (
    <form className="two-column-form controls-editor" onSubmit={submit} aria-label={t('admin.controls.formOf', { card: label })}>
      <h3 className="full-row">{t('admin.controls.heading')}</h3>
      <ControlsFields draft={draft} onChange={setDraft} errorFor={(name) => controlError(problem, name)} currency={session.company.currency} />
      <div className="full-row">
        {!namesAControl(problem) && <ProblemMessage problem={problem} />}
        {unchanged && (
          <p className="muted" role="status">
            {t('admin.controls.nothingChanged')}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? t('admin.saving') : t('admin.controls.save')}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('admin.close')}
          </button>
        </div>
      </div>
    </form>
  );
}
