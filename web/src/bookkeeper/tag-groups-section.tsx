// Tag groups (project, cost centre, ...) and their tags; an expense takes one tag of each
// group. Tags are retired, not deleted, so old expenses keep theirs.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { Tag, TagGroup } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { useResource } from '../components/use-resource';

export function TagGroupsSection() {
  const groups = useResource(() => api.get<{ items: TagGroup[] }>('/tag-groups'), 'tag-groups');
  const [items, setItems] = useState<TagGroup[] | null>(null);
  const { resource } = groups;
  const shown = items ?? (resource.status === 'ready' ? resource.data.items : []);
  const upsert = (group: TagGroup) => setItems(shown.some((item) => item.id === group.id) ? shown.map((item) => (item.id === group.id ? group : item)) : [...shown, group]);
  return (
    <section className="card" aria-labelledby="tag-groups-heading">
      <h2 id="tag-groups-heading">Tags</h2>
      {resource.status === 'loading' && <Loading what="the tags" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={groups.reload} />}
      {resource.status === 'ready' && shown.length === 0 && <Empty>No tag groups yet, e.g. Project or Cost centre.</Empty>}
      {shown.map((group) => (
        <TagGroupBox key={group.id} group={group} onChanged={upsert} />
      ))}
      <NameForm label="New tag group" button="Add tag group" path="/tag-groups" onAdded={(group: TagGroup) => upsert(group)} />
    </section>
  );
}

function TagGroupBox({ group, onChanged }: { group: TagGroup; onChanged: (group: TagGroup) => void }) {
  const replaceTag = (tag: Tag) => onChanged({ ...group, tags: group.tags.some((item) => item.id === tag.id) ? group.tags.map((item) => (item.id === tag.id ? tag : item)) : [...group.tags, tag] });
  return (
    <section className="tag-group" aria-label={`Tag group ${group.name}`}>
      <h3>{group.name}</h3>
      {group.tags.length === 0 ? (
        <p className="muted small-text">No tags yet.</p>
      ) : (
        <ul className="tag-list">
          {group.tags.map((tag) => (
            <TagItem key={tag.id} tag={tag} onChanged={replaceTag} />
          ))}
        </ul>
      )}
      <NameForm label={`New tag in ${group.name}`} button="Add tag" path={`/tag-groups/${encodeURIComponent(group.id)}/tags`} onAdded={(tag: Tag & { groupId: string }) => replaceTag({ id: tag.id, name: tag.name, active: tag.active })} />
    </section>
  );
}

function TagItem({ tag, onChanged }: { tag: Tag; onChanged: (tag: Tag) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  async function setActive(active: boolean) {
    setBusy(true);
    setProblem(null);
    try {
      const saved = await api.patch<Tag>(`/tags/${encodeURIComponent(tag.id)}`, { active });
      onChanged({ id: saved.id, name: saved.name, active: saved.active });
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <li className={tag.active ? 'tag-item' : 'tag-item retired'}>
      <span>
        {tag.name} {!tag.active && <span className="badge">Retired</span>}
      </span>
      <button type="button" className="link-button small-text" disabled={busy} aria-label={`${tag.active ? 'Retire' : 'Restore'} tag ${tag.name}`} onClick={() => void setActive(!tag.active)}>
        {tag.active ? 'Retire' : 'Restore'}
      </button>
      <ProblemMessage problem={problem} />
    </li>
  );
}

function NameForm<T>({ label, button, path, onAdded }: { label: string; button: string; path: string; onAdded: (created: T) => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      onAdded(await api.post<T>(path, { name: name.trim() }));
      setName('');
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form compact-form" onSubmit={submit} aria-label={label}>
      <TextField label={label} required autoComplete="off" value={name} onChange={setName} error={problem.forField('name')} />
      <ProblemMessage problem={problem.forForm(['name'])} />
      <button type="submit" className="secondary small" disabled={busy}>
        {busy ? 'Adding…' : button}
      </button>
    </form>
  );
}
