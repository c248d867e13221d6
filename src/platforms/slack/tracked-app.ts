// The Bolt app dudao runs: it acknowledges what it cannot route, and tracks the work listeners go on with
// after the ack so that tests and shutdown can wait for it.
import { App, type ReceiverEvent } from '@slack/bolt';
import type { ErrorLogger } from './errors.js';
import { classifySlackBody } from './payloads.js';

/** Listeners keep working after the ack (HTTP response); this tracks that work so it can be awaited. */
export class TrackedApp extends App {
  private readonly inflight = new Set<Promise<void>>();
  /** Set by createSlackAdapter; see processEvent. */
  log?: ErrorLogger;

  override processEvent(event: ReceiverEvent): Promise<void> {
    // Socket Mode hands Bolt whatever the envelope carried; a payload Bolt cannot route safely (it would read
    // a property of null, or wait for a listener that never comes) is acknowledged here instead, so Slack
    // does not send it again. HTTP mode refuses such bodies before Bolt (ingress.ts), so none arrive here.
    const verdict = classifySlackBody(event.body, { json: false });
    if (!verdict.ok) {
      const malformed = verdict.reason === 'malformed';
      this.log?.warn(
        { source: 'slack', kind: verdict.kind, ...(malformed ? { problem: verdict.problem } : {}) },
        malformed
          ? 'acknowledged a malformed Slack payload, without handling it'
          : 'acknowledged a Slack payload dudao has no handler for',
      );
      return event.ack().then(() => undefined);
    }
    const p = super.processEvent(event);
    this.inflight.add(p);
    const done = () => void this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }
}
