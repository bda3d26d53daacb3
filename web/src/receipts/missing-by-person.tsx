// How many receipts each person still owes, and since when: for admins, bookkeepers and
// reviewers to chase the oldest first.
import type { UseQueryResult } from '@tanstack/react-query';
import type { MissingReceiptsOfPerson, Person } from '../api/types';
import { Loaded } from '../components/loaded';
import { Empty } from '../components/status';
import type { Pages } from '../components/use-pages';
import { formatDay } from '../format';
import { useSession } from '../session';
import { t } from '../i18n/i18n';

export function MissingByPerson({ missing, people }: { missing: UseQueryResult<{ items: MissingReceiptsOfPerson[] }>; people: Pages<Person> }) {
  return (
    <section aria-labelledby="missing-by-person-heading">
      <h3 id="missing-by-person-heading">{t('receipts.missingByPerson.heading')}</h3>
      <Loaded query={missing} what="missing receipts">
        {({ items }) => (items.length === 0 ? <Empty>{t('receipts.missingByPerson.empty')}</Empty> : <MissingTable items={items} people={people} />)}
      </Loaded>
    </section>
  );
}

function MissingTable({ items, people }: { items: MissingReceiptsOfPerson[]; people: Pages<Person> }) {
  const { session } = useSession();
  const nameOf = (userId: string) => (people.status === 'ready' ? (people.items.find((person) => person.id === userId)?.name ?? t('receipts.company.unknownPerson')) : '…');
  return (
    <table className="responsive-table">
      <thead>
        <tr>
          <th scope="col">{t('receipts.missingByPerson.person')}</th>
          <th scope="col" className="number">
            {t('receipts.missingByPerson.missing')}
          </th>
          <th scope="col">{t('receipts.missingByPerson.oldest')}</th>
        </tr>
      </thead>
      <tbody>
        {[...items]
          .sort((a, b) => a.oldestAt.localeCompare(b.oldestAt))
          .map((row) => (
            <tr key={row.userId}>
              <td data-label={t('receipts.missingByPerson.person')}>{nameOf(row.userId)}</td>
              <td data-label={t('receipts.missingByPerson.missing')} className="number">
                {row.missing}
              </td>
              <td data-label={t('receipts.missingByPerson.oldest')}>{formatDay(row.oldestAt, session.company.timeZone)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
