// The choices of a company-wide list's person and team filters: the company's people and
// teams by name (the API filters by id; a person reads names).
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import { usePages } from '../components/use-pages';

/** People and teams are few; one page holds them in any company we expect. */
const choicesPageSize = 200;

export interface Choice {
  value: string;
  label: string;
}

const byLabel = (a: Choice, b: Choice) => a.label.localeCompare(b.label);

export function usePersonAndTeamChoices(): { people: Choice[]; teams: Choice[] } {
  const people = usePages('/api/v1/people', choicesPageSize);
  const teams = useQuery(getQuery('/api/v1/teams', { params: { query: { limit: String(choicesPageSize) } } }));
  return {
    people: people.pages.status === 'ready' ? people.pages.items.map((person) => ({ value: person.id, label: person.name })).sort(byLabel) : [],
    teams: (teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name })).sort(byLabel),
  };
}

/** The choices of a label table ({ pending: 'Pending', … }), in its order. */
export function choicesOfLabels(labels: Record<string, string | null>): Choice[] {
  return Object.entries(labels).flatMap(([value, label]) => (label ? [{ value, label }] : []));
}
