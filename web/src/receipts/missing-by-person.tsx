// How many receipts each person still owes, and since when: for admins, bookkeepers and
// reviewers to chase the oldest first.
import { api } from '../api/client';
import type { MissingReceiptsOfPerson, Person } from '../api/types';
import { Empty, LoadError, Loading } from '../components/status';
import type { Pages } from '../components/use-pages';
import type { ResourceHandle } from '../components/use-resource';
import { formatDay } from '../format';
import { useSession } from '../session';

export const loadMissingByPerson = () => api.get<{ items: MissingReceiptsOfPerson[] }>('/receipts/missing/by-person');

export function MissingByPerson({ missing, people }: { missing: ResourceHandle<{ items: MissingReceiptsOfPerson[] }>; people: Pages<Person> }) {
  const { session } = useSession();
  const { resource } = missing;
  const nameOf = (userId: string) => (people.status === 'ready' ? (people.items.find((person) => person.id === userId)?.name ?? 'Unknown person') : '…');
  return (
    <section aria-labelledby="missing-by-person-heading">
      <h3 id="missing-by-person-heading">Missing receipts by person</h3>
      {resource.status === 'loading' && <Loading what="missing receipts" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={missing.reload} />}
      {resource.status === 'ready' &&
        (resource.data.items.length === 0 ? (
          <Empty>Every purchase that needs a receipt has one.</Empty>
        ) : (
          <table className="responsive-table">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col" className="number">
                  Missing
                </th>
                <th scope="col">Oldest from</th>
              </tr>
            </thead>
            <tbody>
              {[...resource.data.items]
                .sort((a, b) => a.oldestAt.localeCompare(b.oldestAt))
                .map((row) => (
                  <tr key={row.userId}>
                    <td data-label="Person">{nameOf(row.userId)}</td>
                    <td data-label="Missing" className="number">
                      {row.missing}
                    </td>
                    <td data-label="Oldest from">{formatDay(row.oldestAt, session.company.timeZone)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
