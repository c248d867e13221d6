import { describe, expect, it } from 'vitest';
import { decryptPayload, signatureOf, verifySignature } from '../../../src/platforms/feishu/crypto.js';
import { encrypt } from '../../support/feishu-requests.js';

// Feishu's documented decryption example (encrypt key "test key").
const VECTOR = { key: 'test key', encrypt: 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', plaintext: 'hello world' };

describe('Feishu body decryption', () => {
  it('decrypts the documented test vector', () => {
    expect(decryptPayload(VECTOR.key, VECTOR.encrypt)).toBe(VECTOR.plaintext);
  });

  it('round-trips what the test encryptor produces, Chinese included', () => {
    const json = JSON.stringify({ type: 'url_verification', challenge: '挑战-1' });
    expect(decryptPayload('k3y', encrypt('k3y', json))).toBe(json);
  });

  it('throws on a wrong key, a truncated blob and garbage', () => {
    expect(() => decryptPayload('other key', VECTOR.encrypt)).toThrow();
    expect(() => decryptPayload(VECTOR.key, VECTOR.encrypt.slice(0, 20))).toThrow();
    expect(() => decryptPayload(VECTOR.key, 'not base64 at all!')).toThrow();
  });
});

describe('X-Lark-Signature', () => {
  const body = Buffer.from('{"encrypt":"abc"}', 'utf8');
  const sig = signatureOf('1700000000', 'nonce-1', 'ek', body);

  it('is the hex SHA-256 of timestamp + nonce + encrypt key + raw body', () => {
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(verifySignature('1700000000', 'nonce-1', 'ek', body, sig)).toBe(true);
    expect(verifySignature('1700000000', 'nonce-1', 'ek', body, sig.toUpperCase())).toBe(true);
  });

  it('rejects any change of timestamp, nonce, key or body, and signatures of the wrong length', () => {
    expect(verifySignature('1700000001', 'nonce-1', 'ek', body, sig)).toBe(false);
    expect(verifySignature('1700000000', 'nonce-2', 'ek', body, sig)).toBe(false);
    expect(verifySignature('1700000000', 'nonce-1', 'ek2', body, sig)).toBe(false);
    expect(verifySignature('1700000000', 'nonce-1', 'ek', Buffer.from('{"encrypt":"abd"}'), sig)).toBe(false);
    expect(verifySignature('1700000000', 'nonce-1', 'ek', body, sig.slice(0, 63))).toBe(false);
    expect(verifySignature('1700000000', 'nonce-1', 'ek', body, '')).toBe(false);
  });

  it('hashes the raw bytes, not a re-serialisation', () => {
    const spaced = Buffer.from('{ "encrypt": "abc" }', 'utf8');
    expect(verifySignature('1700000000', 'nonce-1', 'ek', spaced, sig)).toBe(false);
  });
});
