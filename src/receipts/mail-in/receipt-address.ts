/**
 * Personal forwarding addresses: receipts+<token>@<domain>. The token alone says whose it is;
 * the "+" sub-address keeps one mailbox name for the MX and the relay in front of it.
 */

const receiptLocalPrefix = 'receipts+';
const tokenPattern = /^[a-z0-9]{6,40}$/;

export function isReceiptToken(token: string): boolean {
  return tokenPattern.test(token);
}

export function receiptAddress(token: string, domain: string): string {
  if (!isReceiptToken(token)) throw new Error(`receipt address token must be 6 to 40 of a-z and 0-9, got "${token}"`);
  return `${receiptLocalPrefix}${token}@${normaliseDomain(domain)}`;
}

/**
 * The token of a personal forwarding address of `domain`, or null when the address is not one.
 * The domain and the "receipts+" part match in any case (domains are case-insensitive, RFC
 * 5321 2.4, and people retype addresses); the token does not, since tokens are lower case.
 * Accepts the address as it comes in RCPT TO or a header: surrounding whitespace and one
 * pair of angle brackets are dropped.
 */
export function parseReceiptAddress(address: string, domain: string): string | null {
  let bare = address.trim();
  if (bare.startsWith('<') && bare.endsWith('>')) bare = bare.slice(1, -1).trim();
  const at = bare.lastIndexOf('@');
  if (at < 0) return null;
  const local = bare.slice(0, at);
  if (normaliseDomain(bare.slice(at + 1)) !== normaliseDomain(domain)) return null;
  if (local.slice(0, receiptLocalPrefix.length).toLowerCase() !== receiptLocalPrefix) return null;
  const token = local.slice(receiptLocalPrefix.length);
  return isReceiptToken(token) ? token : null;
}

/** Lower case, without the trailing dot of a fully qualified name ("example.com."). */
function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}
