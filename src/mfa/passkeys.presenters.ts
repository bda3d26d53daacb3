// API schemas of passkeys: the WebAuthn options a browser passes to navigator.credentials, and
// the answers it sends back, as @simplewebauthn/browser writes them (WebAuthn Level 3's JSON
// forms, binary fields as base64url). Sign-in and card reveal take the assertion too.
import { Type } from 'typebox';
import type { PasskeyView } from './passkeys.service.js';

const base64url = (maxLength: number, description?: string) => Type.String({ maxLength, pattern: '^[A-Za-z0-9_-]*$', ...(description ? { description } : {}) });
/** A credential ID is at most 1023 bytes (WebAuthn section 4, "Credential ID"), 1364 in base64url. */
const CredentialId = base64url(1400, 'The credential ID, base64url');
const ExtensionResults = Type.Object({}, { additionalProperties: true, maxProperties: 20 });
const Transports = Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 });

export const passkeyNameLengthMax = 100;
export const PasskeyName = Type.String({ minLength: 1, maxLength: passkeyNameLengthMax, pattern: '\\S', description: 'The person\'s name for it, e.g. "Work laptop"' });

export const PasskeyAssertionSchema = Type.Object(
  {
    id: CredentialId,
    rawId: CredentialId,
    type: Type.Literal('public-key'),
    response: Type.Object({
      clientDataJSON: base64url(4096),
      authenticatorData: base64url(4096),
      signature: base64url(1024),
      userHandle: Type.Optional(base64url(200)),
    }),
    authenticatorAttachment: Type.Optional(Type.String({ maxLength: 40 })),
    clientExtensionResults: ExtensionResults,
  },
  { $id: 'PasskeyAssertion', description: 'A passkey\'s answer to an authentication challenge (navigator.credentials.get)' },
);

export const PasskeyRegistrationSchema = Type.Object(
  {
    id: CredentialId,
    rawId: CredentialId,
    type: Type.Literal('public-key'),
    response: Type.Object({
      clientDataJSON: base64url(4096),
      attestationObject: base64url(16_384),
      authenticatorData: Type.Optional(base64url(16_384)),
      transports: Type.Optional(Transports),
      publicKeyAlgorithm: Type.Optional(Type.Integer()),
      publicKey: Type.Optional(base64url(4096)),
    }),
    authenticatorAttachment: Type.Optional(Type.String({ maxLength: 40 })),
    clientExtensionResults: ExtensionResults,
  },
  { $id: 'PasskeyRegistration', description: 'The authenticator\'s answer to a registration challenge (navigator.credentials.create)' },
);

const AllowedCredential = Type.Object({ id: CredentialId, type: Type.Literal('public-key'), transports: Type.Optional(Transports) });

export const PasskeyCreationOptionsSchema = Type.Object(
  {
    challenge: base64url(100),
    rp: Type.Object({ id: Type.Optional(Type.String()), name: Type.String() }),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }),
    pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Integer(), type: Type.Literal('public-key') })),
    timeout: Type.Optional(Type.Integer()),
    excludeCredentials: Type.Optional(Type.Array(AllowedCredential)),
    authenticatorSelection: Type.Optional(Type.Object({}, { additionalProperties: true })),
    attestation: Type.Optional(Type.String()),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { $id: 'PasskeyCreationOptions', additionalProperties: true, description: 'Options for navigator.credentials.create() (PublicKeyCredentialCreationOptionsJSON); the challenge may be answered once, within 5 minutes' },
);

export const PasskeyRequestOptionsSchema = Type.Object(
  {
    challenge: base64url(100),
    rpId: Type.Optional(Type.String()),
    timeout: Type.Optional(Type.Integer()),
    allowCredentials: Type.Optional(Type.Array(AllowedCredential)),
    userVerification: Type.Optional(Type.String()),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { $id: 'PasskeyRequestOptions', additionalProperties: true, description: 'Options for navigator.credentials.get() (PublicKeyCredentialRequestOptionsJSON); the challenge may be answered once, within 5 minutes' },
);

export const PasskeySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When it last signed in or confirmed a card reveal' }),
  },
  { $id: 'Passkey' },
);

export const passkeySchemas = [PasskeyAssertionSchema, PasskeyRegistrationSchema, PasskeyCreationOptionsSchema, PasskeyRequestOptionsSchema, PasskeySchema];

export function presentPasskey(passkey: PasskeyView) {
  return { id: passkey.id, name: passkey.name, createdAt: passkey.createdAt.toISOString(), lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null };
}
