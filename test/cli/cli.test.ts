import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { openMigratedDatabase } from '../../src/store/database.js';
import { cliHarness } from '../support/cli.js';
import { monthPeriod, seedConfig, seedCycle, seedParticipant } from '../support/evaluation-seed.js';

/** A migrated database holding one open finding whose plan is due, owned by 王经理 (Shanghai). */
async function seedDueFinding(url: string, ids: { slackUserId?: string; feishuOpenId?: string }) {
  const db = await openMigratedDatabase(url);
  const tpl = await db.prisma.checklistTemplate.create({ data: { key: 'ops-standard' } });
  const tv = await db.prisma.templateVersion.create({ data: { templateId: tpl.id, version: 1, content: '{}' } });
  const dept = await db.prisma.department.create({ data: { name: '门店A' } });
  const wang = await db.prisma.member.create({
    data: {
      displayName: '王经理',
      ...ids,
      role: 'manager',
      departmentId: dept.id,
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
    },
  });
  const at = new Date('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const insp = await db.prisma.inspection.create({
    data: {
      draftId: 'd1',
      templateVersionId: tv.id,
      departmentId: dept.id,
      supervisorId: wang.id,
      status: 'submitted',
      platform: 'feishu',
      channelId: 'oc_1',
      startedAt: at,
      submittedAt: at,
    },
  });
  const f = await db.prisma.finding.create({
    data: {
      inspectionId: insp.id,
      dimensionKey: 'process',
      itemKey: 'x',
      departmentId: dept.id,
      responsibleMemberId: wang.id,
      description: '消防通道堵塞',
      severity: 'high',
      createdById: wang.id,
      createdAt: at,
      nextReminderAt: at,
    },
  });
  await db.close();
  return f;
}

describe('dudao CLI', () => {
  it('migrates, lists, exports and re-imports templates as new versions', async () => {
    const { dir, run } = cliHarness();
    expect((await run('migrate')).out).toMatch(/applied: \d+_init/);
    expect((await run('migrate')).out).toBe('database is up to date\n');
    const list = await run('template', 'list');
    expect(list.out).toMatch(/^KEY +VERSION +NAME +CREATED\n/);
    expect(list.out).toMatch(/^ops-standard +v1 +Standard operations checklist \/ 运营督导标准检查表 +\S+$/m);
    expect(JSON.parse((await run('template', 'list', '--json')).out)).toMatchObject([
      { key: 'ops-standard', version: 1, nameEn: 'Standard operations checklist', nameZh: '运营督导标准检查表' },
    ]);

    const file = join(dir, 'tpl.yaml');
    expect((await run('template', 'export', 'ops-standard', '--out', file)).code).toBe(0);
    const tpl = YAML.parse(readFileSync(file, 'utf8'));
    tpl.dimensions[0].items[0].text.en = 'Completeness (revised)';
    writeFileSync(file, YAML.stringify(tpl));
    expect((await run('template', 'import', file)).out).toBe('imported template ops-standard as version 2\n');
    // The older version is unchanged; the newer one carries the edit.
    expect(
      JSON.parse((await run('template', 'export', 'ops-standard', '--template-version', '1', '--format', 'json')).out)
        .dimensions[0].items[0].text.en,
    ).toBe('Completeness: no missing steps');
    expect((await run('template', 'export', 'ops-standard')).out).toContain('Completeness (revised)');
  });

  it('refuses an invalid template or org file, naming each problem, and changes nothing', async () => {
    const { dir, env, run } = cliHarness();
    await run('migrate');
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        key: 'x',
        name: { 'zh-CN': '甲', en: 'A' },
        dimensions: [
          {
            key: 'a',
            name: { 'zh-CN': '甲', en: 'A' },
            items: [{ key: 'i', text: { 'zh-CN': '项', en: 'I' }, weight: 0, scoring: 'pass_fail' }],
          },
        ],
      }),
    );
    const r = await run('template', 'import', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('dimensions[0].items[0].weight: expected a positive number');
    const org = join(dir, 'org.csv');
    writeFileSync(org, 'name,slack,role\nAnn,U0ANN,boss\n');
    const o = await run('org', 'import', org);
    expect(o.code).toBe(1);
    expect(o.err).toContain('members[0].role: expected admin, supervisor, manager, member or hr');
    const db = await openMigratedDatabase(env.DATABASE_URL);
    expect(await db.prisma.member.count()).toBe(0);
    expect(await db.prisma.checklistTemplate.count()).toBe(0);
    await db.close();
  });

  it('imports an org and explains usage errors', async () => {
    const { dir, env, run } = cliHarness();
    const org = join(dir, 'org.yaml');
    writeFileSync(
      org,
      'departments:\n  - name: 门店A\n    manager: 王经理\nmembers:\n  - name: 王经理\n    feishu: ou_wang\n    role: manager\n    department: 门店A\n',
    );
    expect((await run('org', 'import', org)).out).toBe('imported 1 departments and 1 members\n');
    const db = await openMigratedDatabase(env.DATABASE_URL);
    const dept = await db.prisma.department.findUniqueOrThrow({ where: { name: '门店A' } });
    const wang = await db.prisma.member.findUniqueOrThrow({ where: { feishuOpenId: 'ou_wang' } });
    expect(dept.managerId).toBe(wang.id);
    await db.close();
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('org', 'import', join(dir, 'missing.yaml'))).err).toBe(
      `file not found: ${join(dir, 'missing.yaml')}\n`,
    );
  });

  it('runs a reminder sweep: a dry run prints what would be sent and claims nothing, a real one queues it once', async () => {
    const { dir, env, run } = cliHarness();
    await run('migrate');
    const f = await seedDueFinding(env.DATABASE_URL, { feishuOpenId: 'ou_wang' });

    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, 'plan:\n  dueAfterWorkingDays: 1\n');
    const envWithRules = { ...env, DUDAO_REMINDER_RULES: rules };
    const dry = await runCli(['sweep', '--dry-run', '--at', '2026-11-24T01:30:00Z'], captured(), envWithRules);
    expect(dry).toBe(0);
    expect(lastOut).toContain(`王经理 (ou_wang, Asia/Shanghai): 1 reminder(s)`);
    expect(lastOut).toContain(`#${f.id} plan_due`);
    expect(lastOut).toContain('would send 1 reminder(s) in 1 digest(s)');
    await runCli(['sweep', '--at', '2026-11-24T01:30:00Z'], captured(), envWithRules);
    expect(lastOut).toContain('queued 1 reminder(s) in 1 digest(s)');
    await runCli(['sweep', '--at', '2026-11-24T01:40:00Z'], captured(), envWithRules);
    expect(lastOut).toContain('queued 0 reminder(s)');
    const after = await openMigratedDatabase(env.DATABASE_URL);
    expect(await after.prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: 'digest:' } } })).toBe(1);
    expect((await after.prisma.finding.findUniqueOrThrow({ where: { id: f.id } })).reminderCount).toBe(1);
    await after.close();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'workingHours:\n  start: nine\n');
    await expect(runCli(['sweep', '--dry-run'], captured(), { ...env, DUDAO_REMINDER_RULES: bad })).resolves.toBe(1);
    expect(lastErr).toContain('workingHours.start: expected HH:MM');
  });

  it('sends reminders of people on both platforms where the bot would: Feishu when only Feishu is set up', async () => {
    const platformOf = async (extra: Record<string, string>) => {
      const { dir, env, run } = cliHarness();
      await run('migrate');
      await seedDueFinding(env.DATABASE_URL, { slackUserId: 'UWANG', feishuOpenId: 'ou_wang' });
      const rules = join(dir, 'rules.yaml');
      writeFileSync(rules, 'plan:\n  dueAfterWorkingDays: 1\n');
      expect(
        await runCli(['sweep', '--at', '2026-11-24T01:30:00Z'], captured(), {
          ...env,
          DUDAO_REMINDER_RULES: rules,
          ...extra,
        }),
      ).toBe(0);
      const db = await openMigratedDatabase(env.DATABASE_URL);
      const rows = await db.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: 'digest:' } } });
      await db.close();
      return rows.map((r) => `${r.platform}:${r.targetId}`);
    };
    expect(await platformOf({ FEISHU_APP_ID: 'cli_0123456789abcdef' })).toEqual(['feishu:ou_wang']);
    expect(await platformOf({ SLACK_BOT_TOKEN: 'xoxb-1', FEISHU_APP_ID: 'cli_0123456789abcdef' })).toEqual([
      'slack:UWANG',
    ]);
  });

  it('sweeps pending evaluation steps like the bot does', async () => {
    const { env, run } = cliHarness();
    await run('migrate');
    const db = await openMigratedDatabase(env.DATABASE_URL);
    const dept = await db.prisma.department.create({ data: { name: '门店A' } });
    const li = await db.prisma.member.create({
      data: {
        displayName: '李员工',
        feishuOpenId: 'ou_li',
        departmentId: dept.id,
        locale: 'zh-CN',
        timeZone: 'Asia/Shanghai',
      },
    });
    const cycle = await seedCycle(db.prisma, {
      name: '2026-11',
      configVersionId: await seedConfig(db.prisma),
      openedById: li.id,
      ...monthPeriod(2026, 11),
    });
    await db.prisma.evaluationCycle.update({
      where: { id: cycle },
      data: { deadline: new Date('2026-11-25T10:00:00Z') },
    });
    const p = await seedParticipant(db.prisma, { cycleId: cycle, memberId: li.id, departmentId: dept.id });
    await db.prisma.evaluationParticipant.update({
      where: { id: p },
      data: { nextReminderAt: new Date('2026-11-23T00:00:00Z') },
    });
    await db.close();

    expect(await runCli(['sweep', '--dry-run', '--at', '2026-11-24T01:30:00Z'], captured(), env)).toBe(0);
    expect(lastOut).toContain('李员工 (ou_li, Asia/Shanghai): 1 reminder(s)');
    expect(lastOut).toContain(`evaluation 2026-11 participant ${p} evaluation_due (self)`);
    expect(lastOut).toContain('would send 1 reminder(s) in 1 digest(s)');
    await runCli(['sweep', '--at', '2026-11-24T01:30:00Z'], captured(), env);
    expect(lastOut).toContain('queued 1 reminder(s) in 1 digest(s)');
    await runCli(['sweep', '--at', '2026-11-24T01:40:00Z'], captured(), env);
    expect(lastOut).toContain('queued 0 reminder(s)');
  });
});

let lastOut = '';
let lastErr = '';
function captured() {
  lastOut = '';
  lastErr = '';
  return { out: (s: string) => void (lastOut += s), err: (s: string) => void (lastErr += s) };
}
