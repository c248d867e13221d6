// A loopback stand-in for Slack's Socket Mode. The bot's SocketModeClient calls apps.connections.open on the
// fake Web API (FakeSlack) with the app-level token; the answer is a ws://127.0.0.1 URL with a one-time
// ticket, where this fake says `hello` and then sends envelopes (slash_commands, interactive, events_api)
// shaped like the ones Slack sends, and records the acknowledgements the bot sends back
// ({ envelope_id, payload }). Envelopes are built from the same requests HTTP mode is tested with
// (slack-requests.ts), so both transports see identical payloads.
import { randomUUID } from 'node:crypto';
import type { FakeSlack } from './fake-slack.js';
import { FORM_CONTENT_TYPE, type SlackRequest } from './slack-requests.js';
import { type LoopbackWsServer, startWsServer, TicketGate, Wakeups, WS_OPEN, type WsPeer } from './ws-server.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What Slack sends over the socket for each request. */
export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, any>;
  accepts_response_payload: boolean;
  /** events_api only: set on a redelivery (Slack did not get the ack in time). */
  retry_attempt?: number;
  retry_reason?: string;
}

/** What the app sends back: the envelope id and, for commands, views and options, the response. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, any>;
}

export interface EnvelopeOptions {
  envelopeId?: string;
  retryAttempt?: number;
  retryReason?: string;
}

/**
 * The envelope Slack would send over the socket for a request that HTTP mode receives as `req`: a form
 * without `payload` is a slash command, a form with `payload` an interaction, JSON an Events API callback.
 */
export function envelopeOf(req: SlackRequest, o: EnvelopeOptions = {}): SocketEnvelope {
  const envelope_id = o.envelopeId ?? randomUUID();
  if (req.contentType !== FORM_CONTENT_TYPE) {
    return {
      envelope_id,
      type: 'events_api',
      payload: JSON.parse(req.body) as Record<string, any>,
      accepts_response_payload: false,
      retry_attempt: o.retryAttempt ?? 0,
      retry_reason: o.retryReason ?? '',
    };
  }
  const form = new URLSearchParams(req.body);
  const interaction = form.get('payload');
  if (interaction !== null) {
    const payload = JSON.parse(interaction) as Record<string, any>;
    // Only requests whose HTTP response carries data (view submissions, options) accept an ack payload.
    return {
      envelope_id,
      type: 'interactive',
      payload,
      accepts_response_payload: payload?.type === 'view_submission' || payload?.type === 'block_suggestion',
    };
  }
  return { envelope_id, type: 'slash_commands', payload: Object.fromEntries(form), accepts_response_payload: true };
}

export interface FakeSlackSocketOptions {
  /** The app-level token apps.connections.open accepts (xapp-…). */
  appToken: string;
  appId?: string;
}

export class FakeSlackSocket {
  /** Every message the app sent over any connection, parsed, in order. */
  readonly received: Array<Record<string, any>> = [];
  /** The token each apps.connections.open call carried, in order. */
  readonly openTokens: Array<string | undefined> = [];
  /** Request paths (with query) of the connections opened, in order. */
  get connections(): readonly string[] {
    return this.gate.connections;
  }
  private readonly gate = new TicketGate();
  private peer: WsPeer | undefined;
  /** Connections that were sent hello. */
  private helloed = 0;
  private readonly events = new Wakeups();

  private constructor(
    private readonly server: LoopbackWsServer,
    private readonly opts: Required<FakeSlackSocketOptions>,
  ) {}

  /** Starts the socket server and makes `api` answer apps.connections.open with its URL. */
  static async start(api: FakeSlack, o: FakeSlackSocketOptions): Promise<FakeSlackSocket> {
    let fake: FakeSlackSocket | undefined;
    const server = await startWsServer((peer, req) => fake!.accept(peer, req.url ?? '/'));
    fake = new FakeSlackSocket(server, { appId: 'A0DUDAO', ...o });
    api.answerMethod('apps.connections.open', (call) => fake!.open(call.token));
    return fake;
  }

  /** Whether the app holds an open connection that has been sent `hello`. */
  get isConnected(): boolean {
    return this.peer?.readyState === WS_OPEN;
  }

  /** Resolves once the app holds an open connection (hello sent), the `nth` one opened (default: any). */
  async connected(nth = 1): Promise<void> {
    await this.events.until(() => this.isConnected && this.helloed >= nth);
  }

  /** Sends an envelope as it is; see deliver to also wait for its ack. */
  send(envelope: SocketEnvelope | Record<string, unknown>): void {
    if (!this.peer || this.peer.readyState !== WS_OPEN)
      throw new Error('the app is not connected to the fake Socket Mode server');
    this.peer.send(JSON.stringify(envelope));
  }

  /** Sends an envelope and resolves with the app's acknowledgement of it. */
  async deliver(envelope: SocketEnvelope): Promise<SocketAck> {
    this.send(envelope);
    return this.ackOf(envelope.envelope_id);
  }

  /** Resolves with the app's acknowledgement of an envelope once it has arrived. */
  async ackOf(envelopeId: string): Promise<SocketAck> {
    let found: SocketAck | undefined;
    await this.events.until(() => (found = this.acks(envelopeId)[0]) !== undefined);
    return found!;
  }

  /** Every acknowledgement of an envelope received so far (more than one would be a bug). */
  acks(envelopeId: string): SocketAck[] {
    return this.received.filter((m): m is SocketAck => m.envelope_id === envelopeId);
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  /** apps.connections.open: only the app-level token may open a connection. */
  private open(token: string | undefined): Record<string, unknown> {
    this.openTokens.push(token);
    if (!token) return { ok: false, error: 'not_authed' };
    if (token !== this.opts.appToken)
      return { ok: false, error: token.startsWith('xapp-') ? 'invalid_auth' : 'not_allowed_token_type' };
    const ticket = this.gate.issue();
    return { ok: true, url: `${this.server.url}/link/?ticket=${ticket}&app_id=${this.opts.appId}` };
  }

  private accept(peer: WsPeer, path: string): void {
    // A ticket works once, as Slack's do.
    if (!this.gate.admit(peer, path)) return;
    peer.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        this.received.push(JSON.parse(data.toString('utf8')) as Record<string, any>);
      } catch {
        this.received.push({ unparsed: data.toString('utf8') });
      }
      this.events.wake();
    });
    peer.on('close', () => this.events.wake());
    peer.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 3600 },
        connection_info: { app_id: this.opts.appId },
      }),
      () => {
        this.peer = peer;
        this.helloed++;
        this.events.wake();
      },
    );
  }
}
