// What the company's own systems use: API keys with their scopes, webhook endpoints and their
// deliveries; and the e-mail Outlay sent.
import { SectionPage } from '../pages/section-page';
import { ApiKeysSection } from './api-keys-section';
import { MailSection } from './mail-section';
import { WebhooksSection } from './webhooks-section';
import { can } from '../permissions';
import { useSession } from '../session';

export function DevelopersPage() {
  const { session } = useSession();
  return (
    <SectionPage title="Developers" lead="Connect your own systems to Outlay's API.">
      <ApiKeysSection />
      {can(session, 'webhooks:manage') && <WebhooksSection />}
      <MailSection />
    </SectionPage>
  );
}
