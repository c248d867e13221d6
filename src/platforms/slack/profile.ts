// A Slack user's name, language and time zone, read once when the person first talks to dudao.
import { webApi } from '@slack/bolt';
import { normalizeLocale } from '../../core/i18n/t.js';
import type { ProfileLookup } from '../../core/ports.js';
import type { SlackWebClient } from './sender.js';

export class SlackProfiles implements ProfileLookup {
  constructor(private readonly client: SlackWebClient) {}

  async lookup(userId: string): Promise<{ displayName: string; locale?: 'zh-CN' | 'en'; timeZone?: string } | null> {
    let user: Awaited<ReturnType<SlackWebClient['users']['info']>>['user'];
    try {
      // The locale is only returned when asked for.
      user = (await this.client.users.info({ user: userId, include_locale: true })).user;
    } catch (e) {
      // user_not_found, missing_scope (users:read not granted), user_not_visible…: the person is simply
      // not readable. Transport failures are thrown; the caller falls back to defaults either way.
      if (e instanceof webApi.WebAPIPlatformError) return null;
      throw e;
    }
    if (!user) return null;
    const displayName = user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || userId;
    return {
      displayName,
      ...(normalizeLocale(user.locale) ? { locale: normalizeLocale(user.locale) } : {}),
      ...(user.tz ? { timeZone: user.tz } : {}),
    };
  }
}
