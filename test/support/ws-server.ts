// A loopback WebSocket server for the fakes of the platforms' socket transports (Slack Socket Mode, the
// Feishu long connection). It uses the `ws` package (a devDependency, the version the Lark SDK brings), which
// has no type declarations here, so the little of it the fakes use is typed below.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/** One connected client, as `ws` presents it on the server side. */
export interface WsPeer {
  readonly readyState: number;
  send(data: string | Uint8Array, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

interface WsServer {
  on(event: 'connection', listener: (peer: WsPeer, req: IncomingMessage) => void): this;
  close(cb?: (err?: Error) => void): void;
  readonly clients: Set<WsPeer>;
}

const { WebSocketServer } = createRequire(import.meta.url)('ws') as {
  WebSocketServer: new (o: { server: Server }) => WsServer;
};

/** `ws`'s readyState for an open connection. */
export const WS_OPEN = 1;

export interface LoopbackWsServer {
  /** ws://127.0.0.1:<port> (no trailing slash). */
  url: string;
  /** Closes every connection abruptly, then the server. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (a free port) and hands every upgraded connection, with its request, to `onConnection`. */
export async function startWsServer(
  onConnection: (peer: WsPeer, req: IncomingMessage) => void,
): Promise<LoopbackWsServer> {
  const http = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('WebSocket only');
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', onConnection);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    async close() {
      for (const peer of wss.clients) peer.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** One-use connection tickets, as the platforms hand out in the URL a socket connects to. */
export class TicketGate {
  /** Request paths (with query) of the connections opened, in order. */
  readonly connections: string[] = [];
  private readonly tickets = new Set<string>();

  /** A new ticket, good for one connection. */
  issue(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return ticket;
  }

  /** Records the connection's path; true when it carries an unused ticket (used up now), else closes it (1008) and gives false. */
  admit(peer: WsPeer, path: string): boolean {
    this.connections.push(path);
    const ticket = new URL(path, 'ws://fake').searchParams.get('ticket') ?? '';
    if (this.tickets.delete(ticket)) return true;
    peer.close(1008, 'invalid ticket');
    return false;
  }
}

/** Lets a fake wait for what happens on its sockets: `until(done)` resolves once `done()` holds, checked again at each `wake()`. */
export class Wakeups {
  private waiters: Array<() => void> = [];

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
