import { describe, expect, it } from 'vitest';
import { redactLogFields, redactUrl, redacted } from './log-redaction.js';

const token = 'cmp_01M95JKTYCMWW4PP7V4K4NCJHJ.inv_01M95JKV1J32YMMF5NSRFGGT0E.abcdefghijklmnopqrstuvwxyz012345';

describe('redactUrl', () => {
  it.each([
    [`/api/v1/invitations/${token}`, `/api/v1/invitations/${redacted}`],
    [`/api/v1/invitations/${token}/accept`, `/api/v1/invitations/${redacted}/accept`],
    [`/invite/${token}`, `/invite/${redacted}`],
    [`https://outlay.example/invite/${token}`, `https://outlay.example/invite/${redacted}`],
    // Not a token by its form, but after /invitations/ all the same.
    ['/api/v1/invitations/whatever-was-sent?x=1', `/api/v1/invitations/${redacted}?x=1`],
    // A password reset link, in the API and in the web app, whatever its form.
    ['/api/v1/password-resets/whatever-was-sent', `/api/v1/password-resets/${redacted}`],
    ['https://outlay.example/reset-password/whatever-was-sent', `https://outlay.example/reset-password/${redacted}`],
    ['/api/v1/things?token=abc&limit=5', `/api/v1/things?token=${redacted}&limit=5`],
    ['/api/v1/things?apiKey=abc&resetCode=1&client_secret=2', `/api/v1/things?apiKey=${redacted}&resetCode=${redacted}&client_secret=${redacted}`],
    [`/api/v1/search?q=${token}`, `/api/v1/search?q=${redacted}`],
    [`/api/v1/cards/olk.${token}`, `/api/v1/cards/olk.${redacted}`],
  ])('%s -> %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('leaves URLs without secrets as they are', () => {
    for (const url of ['/api/v1/password-resets', '/api/v1/cards/crd_01M95JKTYCMWW4PP7V4K4NCJHJ', '/api/v1/expenses?limit=5&sort=spentOn', '/', '/assets/index-QylhHX-n.js']) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});

describe('redactLogFields', () => {
  it('replaces an invitation link and a token in any string field, at any depth it looks', () => {
    const fields = { personId: 'usr_1', invitationUrl: `http://localhost:3000/invite/${token}`, nested: { list: [`key ${token}`] } };
    expect(redactLogFields(fields)).toEqual({ personId: 'usr_1', invitationUrl: `http://localhost:3000/invite/${redacted}`, nested: { list: [`key ${redacted}`] } });
  });

  it('keeps errors and other objects for their own serializers', () => {
    const error = new Error(`failed at /invite/${token}`);
    const when = new Date(0);
    const fields = redactLogFields({ err: error, when });
    expect(fields.err).toBe(error);
    expect(fields.when).toBe(when);
  });
});
