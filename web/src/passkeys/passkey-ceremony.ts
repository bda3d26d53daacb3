// The browser's part of a passkey ceremony (WebAuthn): @simplewebauthn/browser turns the
// server's options into navigator.credentials.create()/get() and the answer back into JSON.
// A person cancelling, the prompt timing out or a browser without passkeys throw a DOMException
// here, not an API problem: it becomes one (passkey_cancelled) so forms show it like any other.
import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { api, ok } from '../api/client';
import { ApiProblem } from '../api/problem';
import type { components } from '../api/schema.gen';

export type PasskeyAssertion = components['schemas']['PasskeyAssertion'];

async function inBrowser<T>(ceremony: () => Promise<T>): Promise<T> {
  try {
    return await ceremony();
  } catch (error) {
    if (error instanceof ApiProblem) throw error;
    throw new ApiProblem(0, 'passkey_cancelled', 'Passkey', error instanceof Error ? error.message : String(error), 'passkey');
  }
}

/** The passkey's answer to the server's options for navigator.credentials.get(). */
export async function answerWithPasskey(options: components['schemas']['PasskeyRequestOptions']): Promise<PasskeyAssertion> {
  const answer = await inBrowser(() => startAuthentication({ optionsJSON: options as PublicKeyCredentialRequestOptionsJSON }));
  return answer as PasskeyAssertion;
}

/** Makes a passkey on this device or a security key, and saves it under `name`. */
export async function addPasskey(name: string): Promise<components['schemas']['Passkey']> {
  const options = await ok(api.POST('/api/v1/me/mfa/passkeys/registration-options'));
  const response = await inBrowser(() => startRegistration({ optionsJSON: options as PublicKeyCredentialCreationOptionsJSON }));
  return ok(api.POST('/api/v1/me/mfa/passkeys', { body: { name, response: response as components['schemas']['PasskeyRegistration'] } }));
}
