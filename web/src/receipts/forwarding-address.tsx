// The person's own address for e-mailing receipts in (forwarded shop e-mails, PDFs).
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import { CopyField } from '../components/fields';

export function ForwardingAddressField() {
  const forwarding = useQuery(getQuery('/api/v1/receipts/forwarding-address'));
  // Without it the page still works: uploading is the main way in.
  if (!forwarding.data) return null;
  const { address, enabled } = forwarding.data;
  return (
    <CopyField label="Or forward receipts to" value={address}>
      <small className="hint">
        {enabled
          ? 'E-mail receipts and shop invoices to this address, from any mailbox; Outlay files them here.'
          : 'This Outlay does not receive e-mail yet: until it does, send receipts from this page.'}
      </small>
    </CopyField>
  );
}
