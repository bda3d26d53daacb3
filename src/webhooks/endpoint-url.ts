// Where Outlay may post webhooks. In production an endpoint is an https URL of a public host:
// never a loopback, private, link-local or otherwise internal address (a webhook must not be a
// way to make the server call into its own network). The host is checked when the endpoint is
// saved and again at every delivery, on the addresses the name resolves to then, so a name
// that later resolves inward is refused too. In development any http(s) URL is allowed, so
// tests and local tools can receive on 127.0.0.1.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DomainError } from '../shared/errors.js';

export const endpointUrlCharsMax = 2000;

const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) internal.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) internal.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is one on the public internet (IPv4-mapped IPv6 is judged as IPv4). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return false;
  return !internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Parses and checks an endpoint URL as the server's mode allows; the URL, normalised. */
export function checkEndpointUrl(raw: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError('validation_failed', 'url is not an absolute URL', 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DomainError('validation_failed', 'url must be an http(s) URL', 'url');
  if (url.username || url.password) throw new DomainError('validation_failed', 'url must not hold a user name or password', 'url');
  if (url.hash) throw new DomainError('validation_failed', 'url must not have a #fragment', 'url');
  if (url.href.length > endpointUrlCharsMax) throw new DomainError('validation_failed', `url has at most ${endpointUrlCharsMax} characters`, 'url');
  if (production) {
    if (url.protocol !== 'https:') throw new DomainError('webhook_url_not_allowed', 'webhooks are sent over https only', 'url');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 ? !isPublicAddress(host) : /(^|\.)(localhost|local|internal|localdomain)$/i.test(host)) {
      throw new DomainError('webhook_url_not_allowed', 'webhooks are not sent to private, loopback or internal addresses', 'url');
    }
  }
  return url.href;
}

export class AddressRefusedError extends Error {
  constructor(host: string) {
    super(`${host} resolves to an address webhooks are not sent to`);
    this.name = 'AddressRefusedError';
  }
}

/** A DNS lookup for the HTTP client that refuses internal addresses (in production), checked on
 * the addresses the connection will use. */
export function guardedLookup(production: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const allowed = production ? addresses.filter((entry) => isPublicAddress(entry.address)) : addresses;
      if (allowed.length === 0 || allowed.length < addresses.length) return callback(new AddressRefusedError(hostname), '', 4);
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
