// The person's own address for e-mailing receipts in (forwarded shop e-mails, PDFs).
import { api } from '../api/client';
import type { ForwardingAddress } from '../api/types';
import { CopyField } from '../components/fields';
import { useResource } from '../components/use-resource';

export function ForwardingAddressField() {
  const { resource } = useResource(() => api.get<ForwardingAddress>('/receipts/forwarding-address'), 'forwarding-address');
  // Without it the page still works: uploading is the main way in.
  if (resource.status !== 'ready') return null;
  const { address, enabled } = resource.data;
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
