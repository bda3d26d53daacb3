// What the company's own systems use: API keys with their scopes.
import { SectionPage } from '../pages/section-page';
import { ApiKeysSection } from './api-keys-section';

export function DevelopersPage() {
  return (
    <SectionPage title="Developers" lead="Connect your own systems to Outlay's API.">
      <ApiKeysSection />
    </SectionPage>
  );
}
