// The person's own address for e-mailing receipts in (forwarded shop e-mails, PDFs).
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import { CopyField } from '../components/fields';
import { t } from '../i18n/i18n';

export function ForwardingAddressField() {
  const forwarding = useQuery(getQuery('/api/v1/receipts/forwarding-address'));
  // Without it the page still works: uploading is the main way in.
  if (!forwarding.data) return null;
  const { address, enabled } = forwarding.data;
  return (
    <CopyField label={t('receipts.forwarding.label')} value={address}>
      <small className="hint">
        {enabled
          ? t('receipts.forwarding.enabled')
          : t('receipts.forwarding.disabled')}
      </small>
    </CopyField>
  );
}
