// Names and time zones of Feishu users from the contact API (contact:user.base:readonly). Feishu keeps no
// language preference there, so new members get the configured default locale.
import type * as lark from '@larksuiteoapi/node-sdk';
import type { ProfileLookup } from '../../core/ports.js';
import { larkCall } from './sender.js';

export class FeishuProfiles implements ProfileLookup {
  constructor(private readonly client: lark.Client) {}

  /** Null when the user is unknown or the app may not read them (missing scope, outside the contact range). */
  async lookup(openId: string): Promise<{ displayName: string; timeZone?: string } | null> {
    try {
      const res = await larkCall(this.client, 'contact.v3.user.get', () =>
        this.client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } }),
      );
      const user = res.data?.user;
      const displayName = (user?.name || user?.en_name || user?.nickname || '').trim();
      if (!displayName) return null;
      return { displayName, ...(user?.time_zone ? { timeZone: user.time_zone } : {}) };
    } catch {
      return null;
    }
  }
}
