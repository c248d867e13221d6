import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLASH_COMMAND } from '../../../src/platforms/slack/adapter.js';

const manifest = parse(readFileSync(new URL('../../../manifests/slack.yaml', import.meta.url), 'utf8'));
const ENDPOINT = 'https://YOUR-HOST/slack/events';

describe('manifests/slack.yaml', () => {
  it('declares the command, events and interactivity the adapter handles, all on one endpoint', () => {
    const commands = manifest.features.slash_commands;
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ command: SLASH_COMMAND, url: ENDPOINT, should_escape: true });
    expect(manifest.settings.event_subscriptions.request_url).toBe(ENDPOINT);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(['app_home_opened', 'message.im']);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: ENDPOINT });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
    expect(manifest.features.bot_user.display_name).toBeTruthy();
  });

  it('asks for exactly the scopes the bot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'channels:history',
      'chat:write',
      'chat:write.public',
      'commands',
      'files:write',
      'groups:history',
      'im:history',
      'im:write',
      'users:read',
    ]);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('fits the manifest schema limits Slack enforces on import', () => {
    const d = manifest.display_information;
    expect(d.name.length).toBeLessThanOrEqual(35);
    expect(d.description.length).toBeLessThanOrEqual(140);
    expect(d.long_description.length).toBeGreaterThanOrEqual(175);
    expect(d.long_description.length).toBeLessThanOrEqual(4000);
    expect(d.background_color).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(manifest.features.slash_commands[0].command.length).toBeLessThanOrEqual(32);
  });
});
