// Which URLs webhooks may go to: one row a case, production's rules first.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import { checkEndpointUrl, isPublicAddress } from './endpoint-url.js';

function refusal(url: string, production: boolean): string | null {
  try {
    checkEndpointUrl(url, production);
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('endpoint URLs', () => {
  it.each([
    ['https://hooks.example.com/outlay', true, null],
    ['https://93.184.216.34/in', true, null],
    ['http://hooks.example.com/outlay', true, 'webhook_url_not_allowed'],
    ['https://127.0.0.1/in', true, 'webhook_url_not_allowed'],
    ['https://[::1]/in', true, 'webhook_url_not_allowed'],
    ['https://10.1.2.3/in', true, 'webhook_url_not_allowed'],
    ['https://172.20.0.5/in', true, 'webhook_url_not_allowed'],
    ['https://192.168.1.1/in', true, 'webhook_url_not_allowed'],
    ['https://169.254.169.254/latest/meta-data', true, 'webhook_url_not_allowed'],
    ['https://[::ffff:127.0.0.1]/in', true, 'webhook_url_not_allowed'],
    ['https://[fd00::1]/in', true, 'webhook_url_not_allowed'],
    ['https://localhost/in', true, 'webhook_url_not_allowed'],
    ['https://db.internal/in', true, 'webhook_url_not_allowed'],
    ['http://127.0.0.1:8080/in', false, null],
    ['http://localhost/in', false, null],
    ['ftp://hooks.example.com/', false, 'validation_failed'],
    ['not a url', false, 'validation_failed'],
    ['https://user:pass@hooks.example.com/', false, 'validation_failed'],
    ['https://hooks.example.com/#part', false, 'validation_failed'],
    [`https://hooks.example.com/${'a'.repeat(2000)}`, false, 'validation_failed'],
  ])('%s in production %s: %s', (url, production, expected) => {
    expect(refusal(url, production)).toBe(expected);
  });

  it.each([
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['fe80::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['not-an-ip', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
