// The WebAuthn relying party Outlay is to a browser: the origin people open it at, and that
// origin's host as the RP ID (WebAuthn section 5.1.4.1: a registrable domain suffix of the
// origin's effective domain; the whole host is always one), both from the configured public
// URL. A passkey works only where its RP ID is: moving Outlay to another host loses them.
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

export const relyingPartyName = 'Outlay';

export function relyingPartyOf(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  // An IPv6 literal's hostname keeps its brackets in URL; WebAuthn refuses IP addresses as
  // RP IDs anyway, which the browser then says when a passkey is made.
  return { id: url.hostname, origin: url.origin, name: relyingPartyName };
}
