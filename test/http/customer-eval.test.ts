// The customer's one-time evaluation link through the real HTTP server (startDudao): the form, a valid
// answer saved once, and every refusal (expired, tampered, reused, invalid answers, too large) saving nothing.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { createCore } from '../../src/core/create-core.js';
import {
  CustomerLinkError,
  CustomerLinkIssuer,
  CustomerLinkService,
} from '../../src/core/evaluations/customer-link.js';
import { createLogger } from '../../src/logging.js';
import { type Running, startDudao } from '../../src/main.js';
import { PrismaCustomerLinkRepo } from '../../src/store/customer-invite-repo.js';
import { createRepos } from '../../src/store/index.js';
import { FixedClock } from '../support/clock.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';
import { seedConfig, seedCycle } from '../support/evaluation-seed.js';

const PUBLIC = 'https://dudao.example.com';
const T0 = new Date('2026-12-10T02:00:00Z');

describe.each(STORE_BACKENDS)('customer evaluation links on %s', (kind) => {
  let testDb: TestDatabase;
  let dudao: Running;
  let clock: FixedClock;
  let base: string;
  let hrId: number;
  let participantId: number;
  let monthlyParticipantId: number;

  beforeEach(async () => {
    testDb = await createTestDatabase(kind);
    await testDb.close();
    clock = new FixedClock(T0);
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      DUDAO_PUBLIC_URL: `${PUBLIC}/`,
      DUDAO_REMINDER_CRON: 'off',
      LOG_LEVEL: 'silent',
    });
    dudao = await startDudao(config, { clock, port: 0, logger: createLogger('silent') });
    base = `http://127.0.0.1:${dudao.port}`;
    const p = dudao.db.prisma;
    const dept = await p.department.create({ data: { name: '客户部' } });
    const hr = await p.member.create({
      data: { displayName: '人事张', role: 'hr', locale: 'zh-CN', timeZone: 'Asia/Shanghai' },
    });
    const sam = await p.member.create({
      data: { displayName: 'Sam <b>&</b> Co', departmentId: dept.id, locale: 'en', timeZone: 'Asia/Shanghai' },
    });
    hrId = hr.id;
    const cfg = await seedConfig(p);
    const annual = await seedCycle(p, {
      kind: 'annual',
      name: '2026',
      configVersionId: cfg,
      openedById: hr.id,
      periodStart: new Date('2025-12-31T16:00:00Z'),
      periodEnd: new Date('2026-12-31T16:00:00Z'),
    });
    const monthly = await seedCycle(p, {
      name: '2026-12',
      configVersionId: cfg,
      openedById: hr.id,
      periodStart: new Date('2026-11-30T16:00:00Z'),
      periodEnd: new Date('2026-12-31T16:00:00Z'),
    });
    participantId = (
      await p.evaluationParticipant.create({
        data: { cycleId: annual, memberId: sam.id, departmentId: dept.id, customerFacing: true, stage: 'supervisor' },
      })
    ).id;
    monthlyParticipantId = (
      await p.evaluationParticipant.create({
        data: { cycleId: monthly, memberId: sam.id, departmentId: dept.id, customerFacing: true },
      })
    ).id;
    // What others wrote about Sam: never on the customer's page.
    await p.evaluationSubmission.create({
      data: {
        participantId,
        raterKind: 'self',
        raterKey: `m:${sam.id}`,
        raterMemberId: sam.id,
        scores: '{"satisfaction":5}',
        comments: '{"satisfaction":"SELF-SECRET-COMMENT"}',
        submittedAt: T0,
      },
    });
  });
  afterEach(async () => {
    await dudao.stop();
    await testDb.destroy();
  });

  const link = async (customer = 'ACME 客户') => {
    const created = await dudao.customerLinkIssuer.createCustomerLink(participantId, customer, hrId, clock.now());
    const token = created.url.slice(`${PUBLIC}/eval/c/`.length);
    return { ...created, token, path: `/eval/c/${token}` };
  };
  const get = (path: string, lang = 'zh-CN,zh;q=0.9,en;q=0.8') =>
    fetch(`${base}${path}`, { headers: { 'accept-language': lang } });
  const post = (path: string, form: Record<string, string> | string, lang = 'zh-CN') =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
      body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
    });
  const submissions = () => dudao.db.prisma.evaluationSubmission.findMany({ where: { raterKind: 'customer' } });
  const VALID = {
    score_satisfaction: '5',
    score_communication: '4',
    comment_satisfaction: '响应很快 "great"',
    comment_communication: '',
  };

  it('makes a one-time link, stores only its hash, shows the customer criteria, and saves a valid answer once', async () => {
    const l = await link();
    expect(l.url).toMatch(/^https:\/\/dudao\.example\.com\/eval\/c\/[A-Za-z0-9_-]{43}$/);
    expect(l.expiresAt.toISOString()).toBe('2026-12-24T02:00:00.000Z'); // 14 days
    const invite = await dudao.db.prisma.customerInvite.findUniqueOrThrow({ where: { id: l.inviteId } });
    expect(invite.tokenHash).toBe(createHash('sha256').update(l.token).digest('hex'));
    expect(JSON.stringify(invite)).not.toContain(l.token);

    const zh = await get(l.path);
    expect(zh.status).toBe(200);
    expect(zh.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(zh.headers.get('cache-control')).toBe('no-store');
    expect(zh.headers.get('referrer-policy')).toBe('no-referrer');
    expect(zh.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await zh.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('客户满意度（客户反馈、问卷调查）');
    expect(html).toContain('沟通协调能力（团队成员、客户）');
    expect(html).not.toContain('业务指标完成情况'); // asked of self and supervisor only
    expect(html.match(/type="radio" name="score_satisfaction"/g)).toHaveLength(5);
    expect(html).not.toContain('SELF-SECRET-COMMENT');
    expect(html).not.toMatch(/<script|src=|href="http/);
    const en = await (await get(l.path, 'en-GB,en;q=0.9')).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Customer satisfaction (feedback, surveys)');
    expect(await (await get(`${l.path}?lang=en`, 'zh-CN')).text()).toContain('Customer evaluation');

    const ok = await post(l.path, VALID);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('您对 Sam &lt;b&gt;&amp;&lt;/b&gt; Co 的评价已记录');
    const saved = await submissions();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      participantId,
      raterKind: 'customer',
      raterKey: 'c:name:acme 客户',
      raterLabel: 'ACME 客户',
      raterMemberId: null,
    });
    expect(JSON.parse(saved[0]!.scores)).toEqual({ satisfaction: 5, communication: 4 });
    expect(JSON.parse(saved[0]!.comments)).toEqual({ satisfaction: '响应很快 "great"' });
    expect((await dudao.db.prisma.customerInvite.findUniqueOrThrow({ where: { id: l.inviteId } })).usedAt).toEqual(T0);
  });

  it('refuses a reused link: the second submission changes nothing, and so does a race of two', async () => {
    const l = await link();
    expect((await post(l.path, VALID)).status).toBe(200);
    const again = await post(l.path, { ...VALID, score_satisfaction: '1' });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('此链接已使用过：评价已提交。');
    const reopened = await get(l.path, 'en');
    expect(reopened.status).toBe(410);
    expect(await reopened.text()).toContain('This link has already been used');
    expect(await submissions()).toHaveLength(1);
    expect(JSON.parse((await submissions())[0]!.scores).satisfaction).toBe(5);

    const race = await link('Other Co');
    const statuses = (await Promise.all([post(race.path, VALID), post(race.path, VALID), post(race.path, VALID)]))
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([200, 410, 410]);
    expect(await dudao.db.prisma.evaluationSubmission.count({ where: { raterKey: 'c:name:other co' } })).toBe(1);
  });

  it('takes one answer per customer by name: a second link for the same customer, however written, is refused and left unused', async () => {
    const first = await link('ACME 客户');
    const second = await link('  acme   客户 ');
    // Both open while nobody answered.
    expect((await get(second.path)).status).toBe(200);
    expect((await post(first.path, VALID)).status).toBe(200);
    const again = await post(second.path, { ...VALID, score_satisfaction: '1' });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('您对该员工的评价已记录过（通过其他链接或由对接人录入）');
    const reopened = await get(second.path, 'en');
    expect(reopened.status).toBe(410);
    expect(await reopened.text()).toContain('Your evaluation of this member has already been recorded');
    expect(await submissions()).toHaveLength(1);
    expect(JSON.parse((await submissions())[0]!.scores).satisfaction).toBe(5);
    expect(
      (await dudao.db.prisma.customerInvite.findUniqueOrThrow({ where: { id: second.inviteId } })).usedAt,
    ).toBeNull();
  });

  it('refuses an expired link', async () => {
    const l = await link();
    clock.advance(14 * 24 * 3_600_000);
    const page = await get(l.path);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('此链接已过期');
    expect((await post(l.path, VALID, 'en')).status).toBe(410);
    expect(await submissions()).toHaveLength(0);
    expect((await dudao.db.prisma.customerInvite.findUniqueOrThrow({ where: { id: l.inviteId } })).usedAt).toBeNull();
  });

  it('refuses a tampered or made-up link', async () => {
    const l = await link();
    const flipped = l.token.slice(0, -1) + (l.token.endsWith('A') ? 'B' : 'A');
    for (const path of [
      `/eval/c/${flipped}`,
      '/eval/c/short',
      `/eval/c/${l.token}x`,
      `/eval/c/${l.token.slice(0, 42)}%3Cscript%3E`,
    ]) {
      const r = await get(path, 'en');
      expect(r.status).toBe(404);
      const text = await r.text();
      expect(text).toContain('This link is not valid.');
      expect(text).not.toContain('<script');
      expect((await post(path, VALID)).status).toBe(404);
    }
    expect(await submissions()).toHaveLength(0);
  });

  it('answers invalid values with inline errors and the values kept, and saves nothing', async () => {
    const l = await link();
    const long = '长'.repeat(501);
    const r = await post(l.path, {
      score_satisfaction: '7',
      score_communication: '3',
      comment_satisfaction: 'kept <i>text</i>',
      comment_communication: long,
    });
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toContain('请检查标出的项目；尚未保存任何内容。');
    expect(html).toContain('<p class="error" id="score_satisfaction-error">请只选择一个 1 到 5 的分数。</p>');
    expect(html).toContain('<p class="error" id="comment_communication-error">最多 500 个字符。</p>');
    expect(html).toContain('name="score_communication" value="3" required checked');
    expect(html).toContain('kept &lt;i&gt;text&lt;/i&gt;</textarea>');
    expect(html).toContain(`${long}</textarea>`);

    const missing = await post(l.path, { score_communication: '3', lang: 'en' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain(
      '<p class="error" id="score_satisfaction-error">Choose a score from 1 to 5.</p>',
    );
    const doubled = await post(l.path, 'score_satisfaction=5&score_satisfaction=1&score_communication=3');
    expect(doubled.status).toBe(422);
    const unknown = await post(l.path, { ...VALID, score_targets: '5' });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('表单包含无法识别的内容');
    const wrongType = await fetch(`${base}${l.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(VALID),
    });
    expect(wrongType.status).toBe(415);

    expect(await submissions()).toHaveLength(0);
    expect((await dudao.db.prisma.customerInvite.findUniqueOrThrow({ where: { id: l.inviteId } })).usedAt).toBeNull();
    expect((await post(l.path, VALID)).status).toBe(200);
  });

  it('answers 413 to a huge body and saves nothing', async () => {
    const l = await link();
    const r = await post(l.path, { ...VALID, comment_satisfaction: 'x'.repeat(200_000) });
    expect(r.status).toBe(413);
    expect(await r.text()).toContain('提交的内容超出限制');
    expect(await submissions()).toHaveLength(0);
  });

  it('escapes the customer name and every other text on the page', async () => {
    const l = await link('<script>alert("x")</script> & Co');
    const html = await (await get(l.path)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(html).toContain('Sam &lt;b&gt;&amp;&lt;/b&gt; Co');
    expect((await post(l.path, VALID)).status).toBe(200);
    expect((await submissions())[0]!.raterLabel).toBe('<script>alert("x")</script> & Co');
  });

  it('refuses to make a link without DUDAO_PUBLIC_URL, outside annual cycles, or for a closed cycle', async () => {
    const repo = new PrismaCustomerLinkRepo(dudao.db.prisma);
    const noUrl = new CustomerLinkIssuer({ repo });
    const code = async (f: Promise<unknown>) =>
      f.then(
        () => 'ok',
        (e: unknown) => (e instanceof CustomerLinkError ? e.code : String(e)),
      );
    expect(await code(noUrl.createCustomerLink(participantId, 'ACME', hrId, T0))).toBe('no-public-url');
    const err = await noUrl.createCustomerLink(participantId, 'ACME', hrId, T0).catch((e: CustomerLinkError) => e);
    expect((err as CustomerLinkError).text('zh-CN')).toContain('DUDAO_PUBLIC_URL');
    const links = dudao.customerLinkIssuer;
    expect(await code(links.createCustomerLink(monthlyParticipantId, 'ACME', hrId, T0))).toBe('not-annual');
    expect(await code(links.createCustomerLink(participantId, '   ', hrId, T0))).toBe('invalid-name');
    expect(await code(links.createCustomerLink(999_999, 'ACME', hrId, T0))).toBe('unknown-participant');
    const l = await link();
    await dudao.db.prisma.evaluationCycle.updateMany({ where: { kind: 'annual' }, data: { status: 'closed' } });
    expect(await code(links.createCustomerLink(participantId, 'ACME', hrId, T0))).toBe('cycle-closed');
    const closed = await get(l.path);
    expect(closed.status).toBe(410);
    expect(await closed.text()).toContain('此次考核已结束');
    expect((await post(l.path, VALID)).status).toBe(410);
    expect(await submissions()).toHaveLength(0);
  });

  it('refuses a link answered after the member was scored, or no longer customer-facing: clear page, nothing saved, link not spent', async () => {
    const l = await link();
    expect((await get(l.path)).status).toBe(200);
    await dudao.db.prisma.evaluationParticipant.update({ where: { id: participantId }, data: { stage: 'review' } });
    const page = await get(l.path, 'en');
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This evaluation no longer takes customer answers');
    const r = await post(l.path, VALID);
    expect(r.status).toBe(410);
    expect(await r.text()).toContain('此次评价已不再接受客户意见');
    await dudao.db.prisma.evaluationParticipant.update({
      where: { id: participantId },
      data: { stage: 'supervisor', customerFacing: false },
    });
    expect((await post(l.path, VALID)).status).toBe(410);
    expect(await submissions()).toHaveLength(0);
    expect((await dudao.db.prisma.customerInvite.findUniqueOrThrow({ where: { id: l.inviteId } })).usedAt).toBeNull();
  });

  it('checks again where it saves: a change after the page was read (scored, closed, expired) refuses and saves nothing', async () => {
    const l = await link();
    const prisma = dudao.db.prisma;
    const repo = new PrismaCustomerLinkRepo(prisma);
    const built = createCore(createRepos(dudao.db), {
      profiles: {},
      defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
    });
    // What the page read before the change: open cycle, answering stage, an unexpired invite.
    const snapshot = {
      participant: (await repo.participant(participantId))!,
      invite: (await repo.inviteByHash(createHash('sha256').update(l.token).digest('hex')))!,
    };
    const stale = new CustomerLinkService({
      repo: {
        participant: async () => snapshot.participant,
        inviteByHash: async () => snapshot.invite,
        createInvite: (row) => repo.createInvite(row),
      },
      record: (...a) => built.evaluations!.recordCustomerSubmission(...a),
    });
    const fields = Object.entries(VALID);
    await prisma.evaluationParticipant.update({ where: { id: participantId }, data: { stage: 'review' } });
    expect(await stale.submit(l.token, fields, T0)).toEqual({ kind: 'refused', reason: 'finished' });
    await prisma.evaluationParticipant.update({ where: { id: participantId }, data: { stage: 'supervisor' } });
    await prisma.evaluationCycle.updateMany({ where: { kind: 'annual' }, data: { status: 'closed' } });
    expect(await stale.submit(l.token, fields, T0)).toEqual({ kind: 'refused', reason: 'closed' });
    await prisma.evaluationCycle.updateMany({ where: { kind: 'annual' }, data: { status: 'open' } });
    await prisma.customerInvite.update({ where: { id: l.inviteId }, data: { expiresAt: T0 } });
    expect(await stale.submit(l.token, fields, T0)).toEqual({ kind: 'refused', reason: 'expired' });
    expect(await submissions()).toHaveLength(0);
    expect((await prisma.customerInvite.findUniqueOrThrow({ where: { id: l.inviteId } })).usedAt).toBeNull();
    expect((await prisma.evaluationParticipant.findUniqueOrThrow({ where: { id: participantId } })).version).toBe(0);
  });
});
