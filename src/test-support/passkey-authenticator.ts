// A software authenticator for tests: a real ECDSA P-256 key pair (node:crypto) whose
// registration (attestation "none") and assertions are built by hand as WebAuthn Level 3
// describes them (sections 6.1 authenticator data, 6.5.4 the "none" format, 7.1 and 7.2 the
// client data), so the server's checks meet the bytes a browser would send.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Buffer | Cbor[] | Map<number | string, Cbor>;

/** The CBOR (RFC 8949) of the few types WebAuthn needs, in its canonical form for small maps. */
function cbor(value: Cbor): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
    if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
    throw new Error('too long for this encoder');
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([key, item]) => [cbor(key), cbor(item)])]);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer) => data.toString('base64url');
/** Flags of authenticator data: user present, user verified, attested credential data. */
const flagUp = 0x01;
const flagUv = 0x04;
const flagAt = 0x40;

export interface PasskeyAuthenticatorOptions {
  /** The RP ID the authenticator hashes into its data, and the origin the "browser" reports. */
  rpId: string;
  origin: string;
}

export class PasskeyAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** The signature counter; the next assertion reports it plus one, unless told otherwise. */
  signCount = 0;

  constructor(readonly options: PasskeyAuthenticatorOptions) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The COSE_Key (RFC 9053 section 7.1.1): EC2, ES256, P-256, x and y. */
  private coseKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return cbor(new Map<number, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private authData(flags: number, signCount: number, rpId: string, attested?: Buffer): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(signCount);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter, ...(attested ? [attested] : [])]);
  }

  /** The answer to navigator.credentials.create() for these options, attestation "none". */
  register(options: { challenge: string }, overrides: { origin?: string; rpId?: string } = {}) {
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.coseKey()]);
    const authData = this.authData(flagUp | flagUv | flagAt, this.signCount, overrides.rpId ?? this.options.rpId, attested);
    const attestationObject = cbor(new Map<string, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, overrides.origin ?? this.options.origin)), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
    };
  }

  /** The answer to navigator.credentials.get() for these options: the counter goes up by one
   * unless `signCount` says what to report. */
  assert(options: { challenge: string }, overrides: { origin?: string; signCount?: number; rpId?: string } = {}) {
    this.signCount = overrides.signCount ?? this.signCount + 1;
    const authData = this.authData(flagUp | flagUv, this.signCount, overrides.rpId ?? this.options.rpId);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, overrides.origin ?? this.options.origin);
    // Section 6.3.3 step 11: the signature is over authenticator data and the client data's hash.
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature) },
      clientExtensionResults: {},
    };
  }
}
