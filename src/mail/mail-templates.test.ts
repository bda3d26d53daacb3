import { describe, expect, it } from 'vitest';
import { composeMail, isMailKind, languageOf, renderMail } from './mail-templates.js';

describe('languageOf', () => {
  it.each([
    ['da-DK', 'da'],
    ['de-DE', 'de'],
    ['sv-SE', 'sv'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['fr-FR', 'en'],
    ['', 'en'],
  ])('writes to %s in %s', (locale, language) => {
    expect(languageOf(locale)).toBe(language);
  });
});

describe('renderMail and composeMail', () => {
  const invitation = renderMail({ kind: 'invitation', locale: 'de-DE', values: { company: 'Brot & Co', inviter: 'Ada', expires: '9. März 2026' } });

  it('fills the wording of the kind in the company\'s language', () => {
    expect(invitation.subject).toBe('Einladung zu Brot & Co bei Outlay');
    expect(invitation.text).toContain('Ada hat Sie zu Brot & Co bei Outlay eingeladen');
    expect(invitation.text).toContain('er gilt bis 9. März 2026');
  });

  it('puts the link above the signature in the text and in place of its mark in the HTML', () => {
    const sent = composeMail({ ...invitation, locale: 'de-DE', linkPath: '/invite/abc$&def' }, 'https://outlay.example/');
    const lines = sent.text.split('\n');
    expect(lines).toContain('In Outlay öffnen: https://outlay.example/invite/abc$&def');
    expect(lines.indexOf('In Outlay öffnen: https://outlay.example/invite/abc$&def')).toBeLessThan(lines.indexOf('-- '));
    expect(sent.html).toContain('<a href="https://outlay.example/invite/abc$&#38;def">In Outlay öffnen</a>');
    expect(sent.html).not.toContain('<!--link-->');
  });

  it('leaves no mark when there is no link', () => {
    const sent = composeMail({ ...invitation, locale: 'de-DE', linkPath: null }, 'https://outlay.example');
    expect(sent.html).not.toContain('<!--link-->');
    expect(sent.text).not.toContain('https://');
  });

  it('keeps a person\'s words out of the headers and the markup', () => {
    const mail = renderMail({ kind: 'expense_comment', locale: 'en-GB', values: { company: 'X\r\nBcc: evil@example.com' }, detail: { title: 'Comment <script>alert(1)</script>', body: 'see <!--link--> here' } });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&#60;script&#62;');
    const sent = composeMail({ ...mail, locale: 'en-GB', linkPath: '/expenses/exp_1' }, 'https://o.example');
    // The person's text that looks like the link's mark stays text; the one real mark is replaced.
    expect(sent.html.match(/<a href=/g)).toHaveLength(1);
    expect(sent.html).toContain('see &#60;!--link--&#62; here');
  });

  it('knows the kinds it has wording for', () => {
    expect(isMailKind('expense_approved')).toBe(true);
    expect(isMailKind('password_reset')).toBe(true);
    expect(isMailKind('toString')).toBe(false);
    expect(isMailKind('something_else')).toBe(false);
  });
});
