// The one HTTP server's own answers: what /healthz shows when the check fails.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/http/server.js';

describe('GET /healthz', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('answers 503 without the internal error text, which goes to the log', async () => {
    const logged: unknown[] = [];
    const server = createHttpServer(
      {
        health: async () => {
          throw new Error('SQLITE_CANTOPEN: unable to open /srv/dudao/data/dudao.db');
        },
      },
      (e) => logged.push(e),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = () => new Promise((r) => server.close(() => r()));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ ok: false });
    expect(text).not.toContain('SQLITE_CANTOPEN');
    expect(text).not.toContain('/srv/dudao');
    expect(String(logged[0])).toContain('SQLITE_CANTOPEN');
  });
});
