// The frame of a section's page: its heading, an optional line under it, and its cards.
import type { ReactNode } from 'react';
import { usePageTitle } from './use-page-title';

interface SectionPageProps {
  title: string;
  /** One sentence under the heading that says what the page is for. */
  lead?: ReactNode;
  children: ReactNode;
}

export function SectionPage({ title, lead, children }: SectionPageProps) {
  usePageTitle(title);
  return (
    <>
      <h1 className="page-title">{title}</h1>
      {lead && <p className="page-lead muted">{lead}</p>}
      <div className="dashboard">{children}</div>
    </>
  );
}
