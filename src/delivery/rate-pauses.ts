// How long each platform, or each conversation on it, asked the bot to wait (a 429's Retry-After). Kept by the
// outbox dispatcher in memory: a restart forgets them and at worst hears one more 429.
import type { ClaimedOutboxItem, MessageSender, Platform } from '../core/ports.js';

export class RatePauses {
  /** Platform, or platform and target (see MessageSender.rateLimitScope) → clock time it asked us to wait until. */
  private readonly until = new Map<string, number>();

  /** The platforms free to be called at `now`. */
  open(platforms: Platform[], now: number): Platform[] {
    return platforms.filter((p) => (this.until.get(p) ?? 0) <= now);
  }

  /** Until when this row must wait: the later of its platform's pause and its conversation's. */
  pausedUntil(sender: MessageSender, item: ClaimedOutboxItem): number {
    return Math.max(this.until.get(item.platform) ?? 0, this.until.get(scopeKey(sender, item)) ?? 0);
  }

  /** Records a 429 on this row's scope, and on its whole platform when the limit is evidently the workspace's. */
  pause(sender: MessageSender, item: ClaimedOutboxItem, until: number, now: number): void {
    for (const [k, t] of this.until) if (t <= now) this.until.delete(k);
    const key = scopeKey(sender, item);
    // A second channel limited while another still waits means the limit is the workspace's (Slack limits
    // chat.postMessage per channel and per workspace): the whole platform waits, instead of each of the
    // other channels finding out with a 429 of its own.
    const othersWaiting =
      key !== item.platform &&
      [...this.until].some(([k, t]) => k !== key && k.startsWith(`${item.platform}:`) && t > now);
    if (othersWaiting) this.until.set(item.platform, Math.max(this.until.get(item.platform) ?? 0, until));
    this.until.set(key, Math.max(this.until.get(key) ?? 0, until));
  }
}

function scopeKey(sender: MessageSender, item: ClaimedOutboxItem): string {
  return sender.rateLimitScope === 'target' ? `${item.platform}:${item.target.kind}:${item.target.id}` : item.platform;
}
