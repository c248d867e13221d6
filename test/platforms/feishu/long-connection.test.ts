// The Feishu long connection end to end: the real bot with FEISHU_MODE=ws starts the Lark SDK's WSClient,
// which asks the fake Open API's /callback/ws/endpoint for a URL and connects to a loopback WebSocket. Events
// and card callbacks are pushed there as protobuf frames, as Feishu does: each is acked with a response frame
// (a card callback's answer travels in it) and answered through the fake Open API as in webhook mode.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../support/bot.js';
import { type FakeFeishu, startFakeFeishu } from '../../support/fake-feishu.js';
import { CLIENT_CONFIG, FakeFeishuWs, FRAME_DATA, headerOf } from '../../support/fake-feishu-ws.js';
import {
  buttonClick,
  cardText,
  formOfCard,
  formSubmit,
  messageEvent,
  TEST_APP_ID,
} from '../../support/feishu-requests.js';
import { passAll } from '../../support/forms.js';
import { MALFORMED_FEISHU } from '../../support/malformed-requests.js';

const APP_SECRET = 'feishu-test-secret';

let fake: FakeFeishu;
let ws: FakeFeishuWs;
let bot: TestBot;

beforeAll(async () => {
  fake = await startFakeFeishu();
  // No random delay before reconnecting (Feishu's ReconnectNonce), so the reconnect test is quick.
  ws = await FakeFeishuWs.start(fake, {
    appId: TEST_APP_ID,
    appSecret: APP_SECRET,
    clientConfig: { ...CLIENT_CONFIG, ReconnectNonce: 0, ReconnectInterval: 1 },
  });
  // No verification token or encrypt key: the long connection is authenticated when it is opened.
  bot = await startTestBot({
    env: { FEISHU_APP_ID: TEST_APP_ID, FEISHU_APP_SECRET: APP_SECRET, FEISHU_DOMAIN: fake.url, FEISHU_MODE: 'ws' },
    stopFake: async () => {
      await ws.close();
      await fake.stop();
    },
  });
  // WSClient.start() returns before the connection is up.
  await ws.connected();
});
afterAll(async () => bot.stop(() => bot.dudao.feishu!.idle()));
beforeEach(async () => {
  await bot.dudao.feishu!.idle();
  fake.clearCalls();
});

const idle = () => bot.dudao.feishu!.idle();

describe('the Feishu long connection', () => {
  it('asks /callback/ws/endpoint for its URL with the app credentials, connects and pings', async () => {
    expect(ws.endpointRequests).toEqual([{ AppID: TEST_APP_ID, AppSecret: APP_SECRET }]);
    expect(ws.connections).toHaveLength(1);
    expect(ws.connections[0]).toMatch(/^\/ws\/v2\?.*service_id=33554678&ticket=[0-9a-f-]{36}$/);
    const ping = await ws.pinged();
    // The service id comes from the URL Feishu handed out.
    expect(ping.service).toBe(ws.serviceId);
    const health = await fetch(`http://127.0.0.1:${bot.dudao.port}/healthz`).then((r) => r.json());
    expect(health).toMatchObject({ ok: true, feishu: 'ws' });
    // No webhook in this mode.
    const res = await fetch(`http://127.0.0.1:${bot.dudao.port}/feishu/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });

  it('acks a message event frame and answers it through the Open API', async () => {
    const event = messageEvent({ openId: 'ou_sup', text: 'help' });
    const ack = await ws.push(event);
    // The response frame is the pushed frame sent back, with the handler's time and a 200.
    expect(ack.code).toBe(200);
    expect(ack.response).toBeUndefined();
    expect(ack.frame.method).toBe(FRAME_DATA);
    expect(headerOf(ack.frame, 'biz_rt')).toBeDefined();
    expect(headerOf(ack.frame, 'type')).toBe('event');
    await idle();
    const sent = fake.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      via: 'reply',
      replyTo: (event.event as { message: { message_id: string } }).message.message_id,
      msgType: 'interactive',
    });
    expect(cardText(sent[0]!.card)).toContain('dudao commands');
  });

  it('answers an @mention in a group, as in the Feishu sample event', async () => {
    // lark_im_message_receive_v1.json: a group message whose text starts with the bot's mention key.
    const event = messageEvent({
      openId: 'ou_mgr',
      chatType: 'group',
      chatId: 'oc_group_ops',
      text: '@_user_1 /dudao 状态',
      mentions: [{ openId: 'ou_dudao_bot', name: 'dudao' }],
    });
    expect((await ws.push(event)).code).toBe(200);
    await idle();
    // The status is the manager's own answer: it goes to them directly, the group hears only that it did.
    const sent = fake.sent();
    expect(sent).toHaveLength(2);
    const dm = sent.find((s) => s.via === 'create')!;
    expect(dm).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_mgr' });
    expect(cardText(dm.card)).toContain('状态 — 门店A');
    const pointer = sent.find((s) => s.via === 'reply')!;
    expect(pointer).toMatchObject({ replyTo: (event.event as { message: { message_id: string } }).message.message_id });
    expect(cardText(pointer.card)).toContain('已私信发给您');
    expect(cardText(pointer.card)).not.toContain('状态 — 门店A');
  });

  it('reassembles an event that arrives split over several frames', async () => {
    const ack = await ws.push(messageEvent({ openId: 'ou_staff', text: '部门 列表' }), { parts: 3 });
    expect(ack.code).toBe(200);
    await idle();
    expect(fake.sent()).toHaveLength(1);
    expect(cardText(fake.sent()[0]!.card)).toContain('部门列表');
  });

  it('acks a re-pushed event and acts on it once', async () => {
    const event = messageEvent({ openId: 'ou_bob', text: 'help' });
    const first = ws.send(event);
    // Feishu re-pushes the same event (same event_id) in a new frame when the ack is late.
    const again = ws.send(event);
    expect(again).not.toBe(first);
    expect((await ws.ackOf(first)).code).toBe(200);
    expect((await ws.ackOf(again)).code).toBe(200);
    await idle();
    expect(fake.sent()).toHaveLength(1);
  });

  it('answers a card button callback in the ack frame', async () => {
    // A button on a card the bot no longer knows: the answer is an error toast, in the member's language.
    const ack = await ws.push(buttonClick({ openId: 'ou_mgr', value: { key: 'approve' }, name: 'approve_btn' }));
    expect(ack.code).toBe(200);
    expect(ack.response?.toast).toMatchObject({ type: 'error' });
    expect(String(ack.response?.toast.content)).toContain('该检查表已提交或已过期');
  });

  it('runs a card form over the connection: the next page comes back in the ack', async () => {
    await ws.push(messageEvent({ openId: 'ou_sup', text: 'inspect 门店A' }));
    await idle();
    const [form] = fake.sent();
    expect(formOfCard(form!.card).page).toBe(0);
    const ack = await ws.push(formSubmit(form!.card, passAll(formOfCard(form!.card)), { openId: 'ou_sup' }));
    expect(ack.code).toBe(200);
    expect(ack.response?.card?.type).toBe('raw');
    expect(formOfCard(ack.response!.card.data).page).toBe(1);
    // Nothing is saved before the last page.
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(0);
  });

  it("logs no errors along the way; the SDK lines go to dudao's log, never the ticketed URL", () => {
    expect(bot.logs().filter((l) => l.level >= 50)).toEqual([]);
    const lark = bot.logs().filter((l) => (l as { source?: string }).source === 'lark');
    expect(lark.map((l) => l.msg)).toContain('[ws] ws client ready');
    expect(JSON.stringify(bot.logs())).not.toContain(APP_SECRET);
    expect(JSON.stringify(lark)).not.toMatch(/ws:\/\/|ticket/);
  });

  it('reconnects through the endpoint when the connection drops, and keeps answering', async () => {
    ws.dropConnection();
    await ws.connected(2);
    expect(ws.endpointRequests).toHaveLength(2);
    expect(ws.connections).toHaveLength(2);
    expect((await ws.push(messageEvent({ openId: 'ou_sup', text: 'help' }))).code).toBe(200);
    await idle();
    expect(cardText(fake.sent()[0]!.card)).toContain('dudao commands');
  });
});

describe('the Feishu long connection: pushes dudao does not handle', () => {
  // What a webhook refuses with a 4xx (not an object) has no status here: the frame is acked, with 200. A
  // push that decodes to `null` is the exception: the Lark SDK (1.74.0) takes it for an event still missing
  // fragments and never hands it on or acks it, so it is tested apart.
  const warnings = () => bot.logs().filter((l) => l.level === 40);
  const acked = MALFORMED_FEISHU.filter((c) => c.payload !== null);

  it('keeps serving after a push that decodes to null (the SDK drops it unacked)', async () => {
    ws.send(null as never);
    expect((await ws.push(messageEvent({ openId: 'ou_bob', text: 'help' }))).code).toBe(200);
    await idle();
    expect(cardText(fake.sent().at(-1)!.card)).toContain('dudao commands');
  });

  it.each(acked)('$name: acked with 200, one warn line, nothing sent or stored', async ({ payload }) => {
    const deliveries = await bot.dudao.db.prisma.processedDelivery.count();
    const warned = warnings().length;
    const ack = await ws.push(payload as Record<string, unknown>);
    await idle();
    expect(ack.code).toBe(200);
    expect(fake.sent()).toEqual([]);
    expect(await bot.dudao.db.prisma.processedDelivery.count()).toBe(deliveries);
    expect(warnings().slice(warned)).toHaveLength(1);
  });

  it('keeps answering after them, with no error logged', async () => {
    expect((await ws.push(messageEvent({ openId: 'ou_bob', text: 'help' }))).code).toBe(200);
    await idle();
    expect(cardText(fake.sent().at(-1)!.card)).toContain('dudao commands');
    expect(bot.logs().filter((l) => l.level >= 50)).toEqual([]);
  });
});
