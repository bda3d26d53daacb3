// Tag groups (project, cost centre, ...) and their tags; an expense takes one tag of each
// group. Tags are retired, not deleted, so old expenses keep theirs.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { Tag, TagGroup } from '../api/types';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { Empty, ProblemMessage } from '../components/status';
import { t } from '../i18n/i18n';

const tagsChanged = { invalidates: ['/api/v1/tag-groups'] } as const;

export function TagGroupsSection() {
  const groups = useQuery(getQuery('/api/v1/tag-groups'));
  const addGroup = (name: string) => ok(api.POST('/api/v1/tag-groups', { body: { name } }));
  return (
    <section className="card" aria-labelledby="tag-groups-heading">
      <h2 id="tag-groups-heading">{t('bookkeeper.tags.heading')}</h2>
      <Loaded query={groups} what={t('bookkeeper.tags.loading')}>
        {({ items }) => (items.length === 0 ? <Empty>{t('bookkeeper.tags.empty')}</Empty> : items.map((group) => <TagGroupBox key={group.id} group={group} />))}
      </Loaded>
      <NameForm label={t('bookkeeper.tags.newGroup')} button={t('bookkeeper.tags.addGroup')} add={addGroup} />
    </section>
  );
}

function TagGroupBox({ group }: { group: TagGroup }) {
  const addTag = (name: string) => ok(api.POST('/api/v1/tag-groups/{id}/tags', { params: { path: { id: group.id } }, body: { name } }));
  return (
    <section className="tag-group" aria-label={t('bookkeeper.tags.groupNamed', { name: group.name })}>
      <h3>{group.name}</h3>
      {group.tags.length === 0 ? (
        <p className="muted small-text">{t('bookkeeper.tags.noTags')}</p>
      ) : (
        <ul className="tag-list">
          {group.tags.map((tag) => (
            <TagItem key={tag.id} tag={tag} />
          ))}
        </ul>
      )}
      <NameForm label={t('bookkeeper.tags.newTagIn', { name: group.name })} button={t('bookkeeper.tags.addTag')} add={addTag} />
    </section>
  );
}

function TagItem({ tag }: { tag: Tag }) {
  const setActive = useAction((active: boolean) => ok(api.PATCH('/api/v1/tags/{id}', { params: { path: { id: tag.id } }, body: { active } })), tagsChanged);
  return (
    <li className={tag.active ? 'tag-item' : 'tag-item retired'}>
      <span>
        {tag.name} {!tag.active && <span className="badge">{t('bookkeeper.tags.retired')}</span>}
      </span>
      <button type="button" className="link-button small-text" disabled={setActive.isPending} aria-label={tag.active ? t('bookkeeper.tags.retireNamed', { name: tag.name }) : t('bookkeeper.tags.restoreNamed', { name: tag.name })} onClick={() => setActive.mutate(!tag.active)}>
        {tag.active ? t('bookkeeper.tags.retire') : t('bookkeeper.tags.restore')}
      </button>
      <ProblemMessage problem={setActive.error} />
    </li>
  );
}

function NameForm({ label, button, add }: { label: string; button: string; add: (name: string) => Promise<unknown> }) {
  const [name, setName] = useState('');
  const save = useAction(() => add(name.trim()), { ...tagsChanged, onSuccess: () => setName('') });
  const problem = formProblem(save.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form className="inline-form compact-form" onSubmit={submit} aria-label={label}>
      <TextField label={label} required autoComplete="off" value={name} onChange={setName} error={problem.forField('name')} />
      <ProblemMessage problem={problem.forForm(['name'])} />
      <button type="submit" className="secondary small" disabled={save.isPending}>
        {save.isPending ? t('expenses.new.adding') : button}
      </button>
    </form>
  );
}
