// An admin changes one card's spending controls; only the controls changed are sent, and an
// API error shows beside the control it names.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Card } from '../api/types';
import { useFormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { useSession } from '../session';
import { changedControls, controlError, draftFromControls, namesAControl } from './controls-draft';
import { ControlsFields } from './controls-fields';

interface CardControlsEditorProps {
  card: Card;
  /** "Virtual card ending in 4242 of Emma Nørgaard": names the form. */
  label: string;
  onSaved: (card: Card) => void;
  onCancel: () => void;
}

export function CardControlsEditor({ card, label, onSaved, onCancel }: CardControlsEditorProps) {
  const { session } = useSession();
  const [draft, setDraft] = useState(() => draftFromControls(card.controls));
  const [busy, setBusy] = useState(false);
  const [unchanged, setUnchanged] = useState(false);
  const problem = useFormProblem();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const changes = changedControls(card.controls, draft);
    problem.setProblem(null);
    setUnchanged(Object.keys(changes).length === 0);
    if (Object.keys(changes).length === 0) return;
    setBusy(true);
    try {
      onSaved(await api.patch<Card>(`/cards/${card.id}/controls`, changes));
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="two-column-form controls-editor" onSubmit={submit} aria-label={`Controls of ${label}`}>
      <h3 className="full-row">Controls</h3>
      <ControlsFields draft={draft} onChange={setDraft} errorFor={(name) => controlError(problem.problem, name)} currency={session.company.currency} />
      <div className="full-row">
        {!namesAControl(problem.problem) && <ProblemMessage problem={problem.problem} />}
        {unchanged && (
          <p className="muted" role="status">
            Nothing changed.
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save controls'}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Close
          </button>
        </div>
      </div>
    </form>
  );
}
