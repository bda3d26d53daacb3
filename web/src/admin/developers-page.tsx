// What the company's own systems use: API keys with their scopes; and the e-mail Outlay sent.
import { SectionPage } from '../pages/section-page';
import { ApiKeysSection } from './api-keys-section';
import { MailSection } from './mail-section';

export function DevelopersPage() {
  return (
    <SectionPage title="Developers" lead="Connect your own systems to Outlay's API.">
      <ApiKeysSection />
      <MailSection />
    </SectionPage>
  );
}
