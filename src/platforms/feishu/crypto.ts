// Feishu request crypto: AES-256-CBC bodies (Encrypt Key) and the X-Lark-Signature header. The signature
// covers the raw body bytes, so it is checked before anything is parsed or re-serialised.
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/** Decrypts an `{"encrypt": …}` body: key = SHA-256(encrypt key), IV = the first 16 bytes. Throws when it is not valid. */
export function decryptPayload(encryptKey: string, base64: string): string {
  const blob = Buffer.from(base64, 'base64');
  if (blob.length < 32 || blob.length % 16 !== 0) throw new Error('encrypted payload has an invalid length');
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  const decipher = createDecipheriv('aes-256-cbc', key, blob.subarray(0, 16));
  return Buffer.concat([decipher.update(blob.subarray(16)), decipher.final()]).toString('utf8');
}

export function signatureOf(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey, 'utf8')
    .update(rawBody)
    .digest('hex');
}

/** Checks X-Lark-Signature (hex SHA-256 of timestamp + nonce + encrypt key + raw body) in constant time. */
export function verifySignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Buffer,
  signature: string,
): boolean {
  const expected = Buffer.from(signatureOf(timestamp, nonce, encryptKey, rawBody), 'utf8');
  const given = Buffer.from(signature.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
