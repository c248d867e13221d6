// Feishu credentials are checked at start, as Slack's token is with auth.test: a tenant access token is
// asked for, and a refusal makes startDudao reject with Feishu's own words (never the secret). In long
// connection mode a refusal of /callback/ws/endpoint fails the start too. Feishu being briefly unreachable
// does not stop the bot.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../support/bot.js';
import { type FakeFeishu, startFakeFeishu } from '../../support/fake-feishu.js';
import { CLIENT_CONFIG, FakeFeishuWs } from '../../support/fake-feishu-ws.js';
import { TEST_APP_ID, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../../support/feishu-requests.js';

const SECRET = 'feishu-app-secret-value';

describe('starting with Feishu', () => {
  let fake: FakeFeishu;
  let ws: FakeFeishuWs | undefined;
  let bot: TestBot | undefined;
  afterEach(async () => {
    if (bot) await bot.stop();
    bot = undefined;
    await ws?.close();
    ws = undefined;
  });

  const stopFakes = async () => {
    await ws?.close();
    ws = undefined;
    await fake.stop();
  };
  const webhookEnv = () => ({
    FEISHU_APP_ID: TEST_APP_ID,
    FEISHU_APP_SECRET: SECRET,
    FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
  });

  it('asks for a tenant access token with the app credentials', async () => {
    fake = await startFakeFeishu();
    bot = await startTestBot({ env: { ...webhookEnv(), FEISHU_DOMAIN: fake.url }, stopFake: stopFakes });
    expect(fake.callsTo('token')).toHaveLength(1);
    expect(fake.callsTo('token')[0]!.body).toEqual({ app_id: TEST_APP_ID, app_secret: SECRET });
  });

  it('rejects when Feishu refuses the app secret, with Feishu’s reason and without the secret', async () => {
    fake = await startFakeFeishu();
    fake.fail('token', { kind: 'code', code: 10014, msg: 'app secret invalid', status: 400 });
    const started = startTestBot({ env: { ...webhookEnv(), FEISHU_DOMAIN: fake.url }, stopFake: stopFakes });
    const err = (await started.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error | undefined;
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/Feishu refused the app credentials: .*10014 app secret invalid/);
    expect(err!.message).not.toContain(SECRET);
  });

  it('starts anyway when Feishu is briefly unreachable, and says so', async () => {
    fake = await startFakeFeishu();
    fake.fail('token', { kind: 'serverError', status: 503 });
    bot = await startTestBot({ env: { ...webhookEnv(), FEISHU_DOMAIN: fake.url }, stopFake: stopFakes });
    expect(
      bot.logs().find((l) => l.msg === 'could not check the Feishu app credentials at start; going on'),
    ).toMatchObject({ level: 40 });
  });

  it('rejects in long connection mode when /callback/ws/endpoint refuses the credentials', async () => {
    fake = await startFakeFeishu();
    // The endpoint knows another secret; the fake token endpoint takes any.
    ws = await FakeFeishuWs.start(fake, {
      appId: TEST_APP_ID,
      appSecret: 'the-right-secret',
      clientConfig: { ...CLIENT_CONFIG, ReconnectNonce: 0, ReconnectInterval: 1 },
    });
    const started = startTestBot({
      env: { FEISHU_APP_ID: TEST_APP_ID, FEISHU_APP_SECRET: SECRET, FEISHU_DOMAIN: fake.url, FEISHU_MODE: 'ws' },
      stopFake: stopFakes,
    });
    const err = (await started.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error | undefined;
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/Feishu refused the long connection: .*514/);
    expect(err!.message).not.toContain(SECRET);
  });
});
