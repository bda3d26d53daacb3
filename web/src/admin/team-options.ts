import type { Team } from '../api/types';
import type { Pages } from '../components/use-pages';
import { t } from '../i18n/i18n';

export const noTeam = '';

/** Choices for a team select: "No team", the loaded teams, and the current team even when
 * it is on a page of teams not loaded yet. */
export function teamOptions(pages: Pages<Team>, currentTeamId: string | null = null): { value: string; label: string }[] {
  const teams = pages.status === 'ready' ? pages.items : [];
  const options = [{ value: noTeam, label: t('admin.teams.noTeam') }, ...teams.map((team) => ({ value: team.id, label: team.name }))];
  if (currentTeamId && !teams.some((team) => team.id === currentTeamId)) {
    options.push({ value: currentTeamId, label: t('admin.teams.currentTeam') });
  }
  return options;
}

export function teamName(pages: Pages<Team>, teamId: string | null): string {
  if (!teamId) return '—';
  if (pages.status !== 'ready') return '…';
  return pages.items.find((team) => team.id === teamId)?.name ?? '—';
}
