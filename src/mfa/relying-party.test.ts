import { describe, expect, it } from 'vitest';
import { relyingPartyOf } from './relying-party.js';

describe('the relying party of a public URL', () => {
  it.each([
    ['https://spend.example.com', 'spend.example.com', 'https://spend.example.com'],
    ['https://spend.example.com:8443/', 'spend.example.com', 'https://spend.example.com:8443'],
    ['http://localhost:3000', 'localhost', 'http://localhost:3000'],
    ['HTTPS://Spend.Example.COM', 'spend.example.com', 'https://spend.example.com'],
  ])('%s is RP ID %s at origin %s', (publicUrl, id, origin) => {
    expect(relyingPartyOf(publicUrl)).toEqual({ id, origin, name: 'Outlay' });
  });
});
