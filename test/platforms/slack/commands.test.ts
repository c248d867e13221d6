// Commands as people type them in Slack, answered in their language: slash command replies (ephemeral,
// via response_url), direct messages, App Home, button clicks, and the error presenter.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { textOf } from '../../support/fake-slack.js';
import { STANDARD_ORG } from '../../support/org.js';
import { ephemeralAnswer, type SlackBot, startSlackBot } from '../../support/slack-bot.js';
import { appHomeOpened, blockActions } from '../../support/slack-requests.js';

const PEOPLE = [...STANDARD_ORG, { name: '钱管理', slack: 'UADMZH', role: 'admin' as const, locale: 'zh-CN' as const }];

describe.each(STORE_BACKENDS)('Slack commands on %s', (kind) => {
  let bot: SlackBot;
  beforeAll(async () => {
    bot = await startSlackBot({
      kind,
      people: PEOPLE,
      slackUsers: [{ id: 'UNEWZH', name: 'xiao.chen', realName: '陈晓', tz: 'Asia/Shanghai', locale: 'zh-CN' }],
    });
  });
  afterAll(async () => bot.stop());
  beforeEach(() => bot.fake.reset());

  const reply = (userId: string, text: string) => ephemeralAnswer(bot, userId, text);

  it('names the known departments when the department is unknown, and opens nothing', async () => {
    const text = await reply('USUP', 'inspect Nowhere');
    expect(text).toContain('There is no department “Nowhere”');
    expect(text).toContain('门店A');
    expect(text).toContain('门店B');
    expect(bot.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('refuses members in their own language', async () => {
    const drafts = await bot.dudao.db.prisma.inspectionDraft.count();
    expect(await reply('USTAFF', 'inspect 门店A')).toContain('只有督导员 / 管理员可以执行此操作');
    expect(await reply('UBOB', 'inspect 门店A')).toContain('Only supervisor / admin can do that');
    expect(await bot.dudao.db.prisma.inspectionDraft.count()).toBe(drafts);
    expect(bot.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('answers an unknown command with the usage of the nearest one', async () => {
    const en = await reply('USUP', 'inspekt 门店A');
    expect(en).toContain('I did not understand');
    // Escaped for mrkdwn; Slack shows `inspect <dept>`.
    expect(en).toContain('`inspect &lt;dept&gt;`');
    const zh = await reply('USTAFF', '检察 门店A');
    expect(zh).toContain('无法识别');
  });

  it('shows help in both languages', async () => {
    const en = await reply('UBOB', 'help');
    expect(en).toContain('dudao commands');
    expect(en).toContain('/dudao');
    expect(await reply('USTAFF', '帮助')).toContain('督导机器人命令');
  });

  it('adds departments with a manager and lists them, in English and Chinese', async () => {
    expect(await reply('UADMIN', 'dept add Warehouse manager <@UBOB|bob>')).toContain('Department “Warehouse” created');
    expect(await reply('UADMZH', '部门 添加 仓库二 经理 <@USTAFF>')).toContain('已创建部门“仓库二”');
    expect(await reply('UADMIN', 'dept add Warehouse')).toContain('already exists');
    const db = bot.dudao.db.prisma;
    const warehouse = await db.department.findUniqueOrThrow({ where: { name: 'Warehouse' } });
    expect(warehouse.managerId).toBe(bot.people['Bob Staff']!.id);

    const en = await reply('UBOB', 'dept list');
    expect(en).toContain('Departments');
    expect(en).toContain('Warehouse');
    expect(en).toContain('manager: Bob Staff');
    const zh = await reply('USTAFF', '部门 列表');
    expect(zh).toContain('部门列表');
    expect(zh).toContain('经理：李员工');
    // Only admins add departments.
    expect(await reply('UBOB', 'dept add Attic')).toContain('Only admin can do that');
  });

  it('assigns roles through the slash command', async () => {
    expect(await reply('UADMIN', 'role <@UBOB|bob> supervisor')).toContain('Bob Staff is now supervisor');
    expect(await bot.dudao.db.prisma.member.findFirstOrThrow({ where: { slackUserId: 'UBOB' } })).toMatchObject({
      role: 'supervisor',
    });
    expect(await reply('UADMZH', '角色 <@USTAFF> 经理 部门 门店A')).toContain('李员工 现在是部门经理（门店A）');
    // A manager given another role stops being the department's manager (and with it, sight of its team).
    expect(await reply('UADMZH', '角色 <@USTAFF> 员工')).toContain('李员工不再担任门店A的部门经理');
    expect(await bot.dudao.db.prisma.department.findUniqueOrThrow({ where: { name: '门店A' } })).toMatchObject({
      managerId: null,
    });
    expect(await reply('UADMIN', 'role <@UBOB|bob> wizard')).toContain('Unknown role “wizard”');
    expect(await reply('UBOB', 'role <@UBOB|bob> admin')).toContain('Only admin can do that');
  });

  it('answers status and findings in both languages', async () => {
    const status = await reply('USUP', 'status 门店A');
    expect(status).toContain('Status — 门店A');
    expect(status).toContain('No inspections yet.');
    const zh = await reply('UMGR', '状态');
    expect(zh).toContain('状态 — 门店A');
    expect(zh).toContain('暂无检查记录。');
    expect(await reply('USUP', 'findings')).toContain('No findings.');
    expect(await reply('UMGR', '问题 门店A 全部')).toContain('暂无问题记录。');
  });

  it('registers a first-time user from their Slack profile and answers in their language', async () => {
    expect(await reply('UNEWZH', 'help')).toContain('督导机器人命令');
    expect(bot.fake.callsTo('users.info').map((c) => c.body.user)).toEqual(['UNEWZH']);
    expect(await bot.dudao.db.prisma.member.findFirstOrThrow({ where: { slackUserId: 'UNEWZH' } })).toMatchObject({
      displayName: '陈晓',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      role: 'member',
    });
  });

  it('runs commands sent as direct messages and replies in the DM', async () => {
    const r = await bot.dm('UADMZH', '/dudao 部门 列表');
    expect(r.status).toBe(200);
    const [msg] = bot.fake.callsTo('chat.postMessage');
    expect(msg!.body.channel).toBe('DUADMZH');
    expect(textOf(msg!.body)).toContain('部门列表');
    expect(msg!.body.blocks.length).toBeGreaterThan(0);
  });

  it('publishes the help on the App Home tab', async () => {
    await bot.slack.send(appHomeOpened({ userId: 'UBOB' }));
    await bot.idle();
    const [home] = bot.fake.callsTo('views.publish');
    expect(home!.body.user_id).toBe('UBOB');
    expect(home!.body.view.type).toBe('home');
    expect(textOf(home!.body.view)).toContain('dudao commands');
  });

  it('answers a button click through its response_url', async () => {
    const id = 'click1';
    const r = await bot.slack.send(
      blockActions({ userId: 'USTAFF', actionId: 'finding.open:0', value: '1', responseUrl: bot.fake.responseUrl(id) }),
    );
    expect(r.status).toBe(200);
    await bot.idle();
    const [answer] = bot.fake.responses(id);
    expect(answer!.body).toMatchObject({ replace_original: false, response_type: 'ephemeral' });
    expect(textOf(answer!.body)).toContain('督导机器人命令');
  });

  it('turns an unexpected failure into a localized message whose reference is in the log', async () => {
    bot.fake.failNext('views.open', { kind: 'error', error: 'internal_error' });
    const en = await reply('USUP', 'inspect 门店A');
    const ref = /Reference: ([0-9a-f]{8})/.exec(en)?.[1];
    expect(ref).toBeDefined();
    expect(en).toContain('Something went wrong on our side');
    const logged = bot.logs().find((l) => l.ref === ref);
    expect(logged).toMatchObject({ msg: 'unexpected error', surface: 'slack', level: 50 });
    expect(JSON.stringify(logged)).toContain('internal_error');

    bot.fake.failNext('views.open', { kind: 'http', status: 503 });
    const zh = await reply('UADMZH', '检查 门店A');
    const zhRef = /参考编号：([0-9a-f]{8})/.exec(zh)?.[1];
    expect(zh).toContain('系统出错');
    expect(bot.logs().some((l) => l.ref === zhRef)).toBe(true);
    // The token never reaches the log.
    expect(JSON.stringify(bot.logs())).not.toContain('xoxb-test-token');
  });
});
