// A loopback stand-in for Feishu's long connection (事件与回调 → 使用长连接接收事件/回调). The Lark SDK's
// WSClient first POSTs { AppID, AppSecret } to <domain>/callback/ws/endpoint (served here through the fake
// Open API, FakeFeishu.serve) and gets back a ws:// URL and its ClientConfig; it then connects, pings, and
// receives events as binary protobuf frames (pbbp2.Frame), which it acknowledges by sending the same frame
// back with a JSON payload { code, data? } (data: the handler's answer, base64 JSON, e.g. a card callback's
// toast or card). Events larger than one frame arrive split (headers sum/seq) and are reassembled.
import { randomUUID } from 'node:crypto';
import type { FakeFeishu } from './fake-feishu.js';
import { type LoopbackWsServer, startWsServer, TicketGate, Wakeups, WS_OPEN, type WsPeer } from './ws-server.js';

// ---- pbbp2.Frame, encoded by hand from the SDK's definition ----
// message Header { string key = 1; string value = 2; }
// message Frame { uint64 SeqID = 1; uint64 LogID = 2; int32 service = 3; int32 method = 4;
//   repeated Header headers = 5; string payloadEncoding = 6; string payloadType = 7; bytes payload = 8;
//   string LogIDNew = 9; }

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  /** 0 control (ping/pong), 1 data (events and their acks). */
  method: number;
  headers: FrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

export const FRAME_CONTROL = 0;
export const FRAME_DATA = 1;

function varint(out: number[], n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`cannot encode ${n} as a varint here`);
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

function bytesField(out: number[], field: number, bytes: Uint8Array): void {
  varint(out, (field << 3) | 2);
  varint(out, bytes.length);
  for (const b of bytes) out.push(b);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeFrame(f: Frame): Uint8Array {
  const out: number[] = [];
  // The four scalar fields are required in pbbp2 and always written, as the SDK does.
  for (const [field, value] of [
    [1, f.SeqID],
    [2, f.LogID],
    [3, f.service],
    [4, f.method],
  ] as const) {
    varint(out, field << 3);
    varint(out, value);
  }
  for (const h of f.headers) {
    const inner: number[] = [];
    bytesField(inner, 1, utf8(h.key));
    bytesField(inner, 2, utf8(h.value));
    bytesField(out, 5, Uint8Array.from(inner));
  }
  if (f.payloadEncoding !== undefined) bytesField(out, 6, utf8(f.payloadEncoding));
  if (f.payloadType !== undefined) bytesField(out, 7, utf8(f.payloadType));
  if (f.payload !== undefined) bytesField(out, 8, f.payload);
  if (f.LogIDNew !== undefined) bytesField(out, 9, utf8(f.LogIDNew));
  return Uint8Array.from(out);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }
  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function decodeHeader(buf: Uint8Array): FrameHeader {
  const r = new Reader(buf);
  const h: FrameHeader = { key: '', value: '' };
  while (!r.done) {
    const tag = r.varint();
    if (tag === 10) h.key = text(r.bytes());
    else if (tag === 18) h.value = text(r.bytes());
    else r.skip(tag & 7);
  }
  return h;
}

export function decodeFrame(buf: Uint8Array): Frame {
  const r = new Reader(buf);
  const f: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  while (!r.done) {
    const tag = r.varint();
    switch (tag) {
      case 8:
        f.SeqID = r.varint();
        break;
      case 16:
        f.LogID = r.varint();
        break;
      case 24:
        f.service = r.varint();
        break;
      case 32:
        f.method = r.varint();
        break;
      case 42:
        f.headers.push(decodeHeader(r.bytes()));
        break;
      case 50:
        f.payloadEncoding = text(r.bytes());
        break;
      case 58:
        f.payloadType = text(r.bytes());
        break;
      case 66:
        f.payload = Uint8Array.from(r.bytes());
        break;
      case 74:
        f.LogIDNew = text(r.bytes());
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return f;
}

export const headerOf = (f: Frame, key: string): string | undefined => f.headers.find((h) => h.key === key)?.value;

// ---- the fake ----

/** The long connection's ClientConfig (seconds), as /callback/ws/endpoint and every pong carry it. */
export const CLIENT_CONFIG = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 };

/** The bot's acknowledgement of one pushed event. */
export interface WsAck {
  frame: Frame;
  /** The ack payload: HTTP-like code (200, or 500 when the handler threw) and the handler's answer, base64 JSON. */
  code: number;
  /** `data` decoded: what the handler returned (a card callback's toast/card), undefined for plain events. */
  response?: Record<string, any>;
}

export interface PushOptions {
  /** The frame's message_id (Feishu's id of this push; a re-push gets a new one). */
  messageId?: string;
  /** Split the payload over this many frames (sum/seq headers), as Feishu does with large events. */
  parts?: number;
  /** The frame's type header: 'event' (events and card callbacks) unless testing something else. */
  type?: string;
}

export interface FakeFeishuWsOptions {
  appId: string;
  appSecret: string;
  /** What the endpoint and pongs hand out (default CLIENT_CONFIG); ReconnectNonce 0 makes reconnects immediate. */
  clientConfig?: typeof CLIENT_CONFIG;
}

export class FakeFeishuWs {
  /** Frames the bot sent (pings, acks), decoded, in order. */
  readonly received: Frame[] = [];
  /** Request paths (with query) of the connections opened, in order. */
  get connections(): readonly string[] {
    return this.gate.connections;
  }
  private readonly gate = new TicketGate();
  /** Bodies POSTed to /callback/ws/endpoint, in order. */
  readonly endpointRequests: Array<Record<string, unknown> | undefined> = [];
  readonly serviceId = 33554678;
  private peer: WsPeer | undefined;
  /** Connections accepted (valid ticket), and the latest one that has pinged. */
  private accepted = 0;
  private ready = 0;
  private seq = 0;
  private readonly events = new Wakeups();

  private constructor(
    private readonly server: LoopbackWsServer,
    private readonly opts: FakeFeishuWsOptions,
  ) {}

  /** Starts the socket server and makes `openApi` serve POST /callback/ws/endpoint for it. */
  static async start(openApi: FakeFeishu, o: FakeFeishuWsOptions): Promise<FakeFeishuWs> {
    let fake: FakeFeishuWs | undefined;
    const server = await startWsServer((peer, req) => fake!.accept(peer, req.url ?? '/'));
    fake = new FakeFeishuWs(server, o);
    openApi.serve('POST', '/callback/ws/endpoint', (body) => fake!.endpoint(body));
    return fake;
  }

  get isConnected(): boolean {
    return this.peer?.readyState === WS_OPEN;
  }

  /**
   * Resolves once the bot holds an open connection that has sent its first ping (the `nth` connection
   * accepted, default: any). The SDK pings when the socket opens and only then starts listening for frames:
   * a frame sent the moment the connection is accepted is dropped unacked by the Lark SDK (1.74.0), so tests
   * wait for the ping before pushing.
   */
  async connected(nth = 1): Promise<void> {
    await this.events.until(() => this.isConnected && this.ready >= nth);
  }

  /** Drops the connection without a close handshake, as a network failure or a server restart would. */
  dropConnection(): void {
    this.peer?.terminate();
  }

  /** Resolves with the first ping the bot sent (the SDK pings as soon as a connection opens). */
  async pinged(): Promise<Frame> {
    let ping: Frame | undefined;
    await this.events.until(
      () =>
        (ping = this.received.find((f) => f.method === FRAME_CONTROL && headerOf(f, 'type') === 'ping')) !== undefined,
    );
    return ping!;
  }

  /** Pushes a payload (an event v2 envelope) as data frame(s); resolves with the bot's ack. */
  async push(payload: Record<string, unknown>, o: PushOptions = {}): Promise<WsAck> {
    const messageId = this.send(payload, o);
    return this.ackOf(messageId);
  }

  /** Pushes without waiting; returns the frame message_id to wait on with ackOf. */
  send(payload: Record<string, unknown>, o: PushOptions = {}): string {
    if (!this.peer || this.peer.readyState !== WS_OPEN)
      throw new Error('the bot is not connected to the fake long connection');
    const messageId = o.messageId ?? `msg_${randomUUID()}`;
    const traceId = randomUUID();
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    const parts = o.parts ?? 1;
    const size = Math.ceil(bytes.length / parts);
    for (let seq = 0; seq < parts; seq++) {
      const frame: Frame = {
        SeqID: ++this.seq,
        LogID: this.seq,
        service: this.serviceId,
        method: FRAME_DATA,
        headers: [
          { key: 'type', value: o.type ?? 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: String(parts) },
          { key: 'seq', value: String(seq) },
          { key: 'trace_id', value: traceId },
        ],
        payload: bytes.subarray(seq * size, (seq + 1) * size),
      };
      this.peer.send(encodeFrame(frame));
    }
    return messageId;
  }

  /** Resolves with the bot's ack of a push once it has arrived. */
  async ackOf(messageId: string): Promise<WsAck> {
    let found: WsAck | undefined;
    await this.events.until(() => (found = this.acks(messageId)[0]) !== undefined);
    return found!;
  }

  /** Every ack of a push received so far (more than one would be a bug). */
  acks(messageId: string): WsAck[] {
    return this.received
      .filter((f) => f.method === FRAME_DATA && headerOf(f, 'message_id') === messageId)
      .map((frame) => {
        const body = JSON.parse(new TextDecoder().decode(frame.payload ?? new Uint8Array())) as {
          code: number;
          data?: string;
        };
        return {
          frame,
          code: body.code,
          ...(body.data
            ? { response: JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) as Record<string, any> }
            : {}),
        };
      });
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private get clientConfig(): typeof CLIENT_CONFIG {
    return this.opts.clientConfig ?? CLIENT_CONFIG;
  }

  /** POST /callback/ws/endpoint: the connection URL for the app's credentials. */
  private endpoint(body: Record<string, unknown> | undefined): { body: unknown } {
    this.endpointRequests.push(body);
    if (body?.AppID !== this.opts.appId || body?.AppSecret !== this.opts.appSecret)
      return { body: { code: 514, msg: 'auth failed', data: {} } };
    const ticket = this.gate.issue();
    const url = `${this.server.url}/ws/v2?fpid=493&aid=552564&device_id=fake-device&access_key=fake-key&service_id=${this.serviceId}&ticket=${ticket}`;
    return { body: { code: 0, msg: 'ok', data: { URL: url, ClientConfig: this.clientConfig } } };
  }

  private accept(peer: WsPeer, path: string): void {
    if (!this.gate.admit(peer, path)) return;
    this.peer = peer;
    const index = ++this.accepted;
    peer.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const frame = decodeFrame(data);
      this.received.push(frame);
      // Answer pings with a pong carrying the ClientConfig, as Feishu does.
      if (frame.method === FRAME_CONTROL && headerOf(frame, 'type') === 'ping') {
        this.ready = Math.max(this.ready, index);
        peer.send(
          encodeFrame({
            ...frame,
            headers: [{ key: 'type', value: 'pong' }],
            payload: new TextEncoder().encode(JSON.stringify(this.clientConfig)),
          }),
        );
      }
      this.events.wake();
    });
    peer.on('close', () => this.events.wake());
    this.events.wake();
  }
}
