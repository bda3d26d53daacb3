// Each page names itself in the browser's tab and history: "People · Demo Company · Outlay".
import { useEffect } from 'react';
import { useSession } from '../session';

export function usePageTitle(title: string | null): void {
  const { session } = useSession();
  const company = session.company.name;
  useEffect(() => {
    document.title = title ? `${title} · ${company} · Outlay` : `${company} · Outlay`;
  }, [title, company]);
}
