// Every sentence a person reads, in both languages. Placeholders are {name}.

import { APPROVAL_MESSAGES } from './messages-approvals.js';
import { EVALUATION_CYCLE_MESSAGES } from './messages-evaluation-cycles.js';
import { EVALUATION_EXPORT_MESSAGES } from './messages-evaluation-export.js';
import { EVALUATION_REPORT_MESSAGES } from './messages-evaluation-reports.js';
import { EVALUATION_MESSAGES } from './messages-evaluations.js';
import { RECTIFICATION_MESSAGES } from './messages-rectification.js';

export const MESSAGES = {
  ...RECTIFICATION_MESSAGES,
  ...APPROVAL_MESSAGES,
  ...EVALUATION_REPORT_MESSAGES,
  ...EVALUATION_MESSAGES,
  ...EVALUATION_EXPORT_MESSAGES,
  ...EVALUATION_CYCLE_MESSAGES,
  'app.name': { en: 'dudao', zh: '督导' },
  'common.none': { en: 'none', zh: '无' },
  'common.unknownError': {
    en: 'Something went wrong on our side. Nothing was changed. Reference: {ref}',
    zh: '系统出错，未做任何更改。参考编号：{ref}',
  },
  'common.pageOf': { en: 'Page {page} of {count}', zh: '第 {page}/{count} 页' },
  'common.next': { en: 'Next', zh: '下一页' },
  'common.submit': { en: 'Submit', zh: '提交' },
  'common.cancel': { en: 'Cancel', zh: '取消' },
  'common.ok': { en: 'OK', zh: '好的' },
  'common.days': { en: '{n} d', zh: '{n} 天' },
  /** Said in a group chat when the answer went to the person privately instead. */
  'common.sentPrivately': { en: 'Sent to you in a direct message', zh: '已私信发给您' },
  /** Said in a group chat when a form meant for the person's direct messages could not be sent there. */
  'common.formNotSent': {
    en: 'The form could not be sent to you in a direct message. Please try again.',
    zh: '表单未能私信发给您，请重试。',
  },

  'role.admin': { en: 'admin', zh: '管理员' },
  'role.supervisor': { en: 'supervisor', zh: '督导员' },
  'role.manager': { en: 'manager', zh: '部门经理' },
  'role.member': { en: 'member', zh: '员工' },
  'role.hr': { en: 'HR', zh: '人事' },

  'severity.low': { en: 'low', zh: '低' },
  'severity.medium': { en: 'medium', zh: '中' },
  'severity.high': { en: 'high', zh: '高' },
  'severity.critical': { en: 'critical', zh: '严重' },

  'answer.pass': { en: 'Pass', zh: '合格' },
  'answer.fail': { en: 'Fail', zh: '不合格' },
  'answer.na': { en: 'N/A', zh: '不适用' },

  'status.open': { en: 'open', zh: '待整改' },
  'status.closed': { en: 'closed', zh: '已关闭' },

  'help.title': { en: 'dudao commands', zh: '督导机器人命令' },
  'help.intro': {
    en: 'Type `{prefix} <command>`. Chinese aliases work too.',
    zh: '输入 `{prefix} <命令>`，中英文命令均可。',
  },
  'help.help': { en: '`help` — this list', zh: '`帮助` — 显示本说明' },
  'help.deptAdd': {
    en: '`dept add <name> [manager <@user>]` — create a department (admins)',
    zh: '`部门 添加 <名称> [经理 <@用户>]` — 新建部门（管理员）',
  },
  'help.deptList': { en: '`dept list` — departments and managers', zh: '`部门 列表` — 部门及经理' },
  'help.role': {
    en: '`role <@user> <admin|supervisor|manager|member|hr> [dept <name>]` — assign a role (admins)',
    zh: '`角色 <@用户> <管理员|督导员|经理|员工|人事> [部门 <名称>]` — 设置角色（管理员）',
  },
  'help.templateList': { en: '`template list` — checklist templates', zh: '`模板 列表` — 检查表模板' },
  'help.inspect': {
    en: '`inspect <dept>` — start an inspection (supervisors)',
    zh: '`检查 <部门>` — 开始督导检查（督导员）',
  },
  'help.findings': {
    en: '`findings [dept] [open|all]` — findings with owner and age',
    zh: '`问题 [部门] [待整改|全部]` — 问题清单（责任人、时长）',
  },
  'help.status': {
    en: '`status [dept]` — inspections, scores by dimension, open findings',
    zh: '`状态 [部门]` — 检查次数、各维度得分、未整改问题',
  },
  'help.unknown': {
    en: 'I did not understand “{input}”. Did you mean `{suggestion}`?',
    zh: '无法识别“{input}”。您是想输入 `{suggestion}` 吗？',
  },
  'help.usage': { en: 'Usage: {usage}', zh: '用法：{usage}' },
  'help.formNeedsSlash': {
    en: 'This opens a form, which a typed message cannot open. Use the slash command instead, here or in any channel: `{command}`',
    zh: '该命令需要打开表单，直接发送的消息无法打开表单。请改用斜杠命令（在此处或任意频道输入）：`{command}`',
  },
  'help.tooLong': {
    en: 'That command is longer than {max} characters, so it was not read. Nothing was done. Type `help` to see the commands.',
    zh: '该命令超过 {max} 个字符，未被读取，也未执行任何操作。输入 `帮助` 查看命令。',
  },

  'perm.denied': {
    en: 'Only {roles} can do that. Ask an admin if you need access.',
    zh: '只有{roles}可以执行此操作。如需权限请联系管理员。',
  },
  'perm.notYourForm': {
    en: 'This checklist belongs to {name}; only they can fill it in.',
    zh: '该检查表由 {name} 填写，其他人无法提交。',
  },

  'dept.unknown': {
    en: 'There is no department “{name}”. Known departments: {known}.',
    zh: '找不到部门“{name}”。现有部门：{known}。',
  },
  'dept.exists': { en: 'Department “{name}” already exists.', zh: '部门“{name}”已存在。' },
  'dept.created': { en: 'Department “{name}” created.', zh: '已创建部门“{name}”。' },
  'dept.createdWithManager': {
    en: 'Department “{name}” created with manager {manager}.',
    zh: '已创建部门“{name}”，经理：{manager}。',
  },
  'dept.listTitle': { en: 'Departments', zh: '部门列表' },
  'dept.listEmpty': {
    en: 'No departments yet. Admins add them with `dept add <name>`.',
    zh: '暂无部门。管理员可用 `部门 添加 <名称>` 新建。',
  },
  'dept.manager': { en: 'manager: {name}', zh: '经理：{name}' },
  'dept.noManager': { en: 'no manager', zh: '未设经理' },
  'dept.nameInvalid': { en: 'A department name needs 1 to 80 characters.', zh: '部门名称须为 1 到 80 个字符。' },

  'member.unknownMention': {
    en: 'I do not know {mention} yet: they need to message me once, or be imported with `dudao org import`.',
    zh: '还不认识 {mention}：请对方先给我发一条消息，或通过 `dudao org import` 导入。',
  },
  'member.needMention': { en: 'Mention the person with @.', zh: '请用 @ 提及对应人员。' },
  'role.unknown': { en: 'Unknown role “{role}”. Roles: {roles}.', zh: '未知角色“{role}”。可选：{roles}。' },
  'role.assigned': { en: '{name} is now {role}{dept}.', zh: '{name} 现在是{role}{dept}。' },
  'role.inDept': { en: ' in {dept}', zh: '（{dept}）' },
  'role.managerReleased': {
    en: '{name} is no longer the manager of {dept}; it has none until you name one (role @person manager {dept}).',
    zh: '{name}不再担任{dept}的部门经理；在您指定新的部门经理之前，该部门暂无经理（角色 @成员 经理 {dept}）。',
  },
  'role.lastAdmin': {
    en: 'You are the last admin; make someone else admin first.',
    zh: '您是最后一位管理员，请先指定其他管理员。',
  },

  'template.listTitle': { en: 'Checklist templates', zh: '检查表模板' },
  'template.line': {
    en: '*{name}* (`{key}`) v{version} — {dimensions} dimensions, {items} items',
    zh: '*{name}*（`{key}`）第 {version} 版 — {dimensions} 个维度，{items} 项',
  },
  'template.none': { en: 'No templates yet.', zh: '暂无模板。' },

  'inspect.title': { en: 'Inspection: {dept}', zh: '督导检查：{dept}' },
  'inspect.opened': {
    en: 'Opening the checklist for {dept}…',
    zh: '正在打开 {dept} 的检查表…',
  },
  'inspect.cardIntro': {
    en: 'Checklist for *{dept}* ({template} v{version}). Fill in each item and submit; failed items need a finding.',
    zh: '*{dept}* 检查表（{template} 第 {version} 版）。逐项填写后提交；不合格项需填写问题。',
  },
  'inspect.score': { en: 'Result', zh: '结果' },
  'inspect.scoreHint05': { en: '0 = very poor, 5 = excellent', zh: '0 = 很差，5 = 优秀' },
  'inspect.note': { en: 'Note', zh: '备注' },
  'inspect.evidence': { en: 'Evidence link', zh: '证据链接' },
  'inspect.findingDesc': { en: 'Finding (if failed): what is wrong', zh: '问题描述（不合格时填写）' },
  'inspect.findingImpact': { en: 'Finding: impact scope', zh: '问题影响范围' },
  'inspect.findingSeverity': { en: 'Finding: severity', zh: '问题严重程度' },
  'inspect.findingOwner': { en: 'Finding: responsible person', zh: '问题责任人' },
  'inspect.failThreshold': { en: 'A score of {n} or below counts as failed.', zh: '得分不高于 {n} 视为不合格。' },
  'inspect.err.required': { en: 'Required.', zh: '必填。' },
  'inspect.err.invalidOption': { en: 'Choose one of the listed options.', zh: '请从列表中选择。' },
  'inspect.err.noteRequired': { en: 'A failed item needs a note.', zh: '不合格项必须填写备注。' },
  'inspect.err.findingRequired': { en: 'Describe the finding for this failed item.', zh: '请为不合格项填写问题描述。' },
  'inspect.err.url': {
    en: 'Enter a link starting with http:// or https://.',
    zh: '请输入以 http:// 或 https:// 开头的链接。',
  },
  'inspect.err.tooLong': { en: 'At most {n} characters.', zh: '最多 {n} 个字符。' },
  'inspect.err.summary': { en: '{n} field(s) need attention.', zh: '有 {n} 处需要修改。' },
  'inspect.err.expired': {
    en: 'This checklist was already submitted or has expired. Start again with `inspect {dept}`.',
    zh: '该检查表已提交或已过期。请重新输入 `检查 {dept}`。',
  },
  'inspect.err.stalePage': {
    en: 'This page was already submitted; continue on the latest page.',
    zh: '该页已提交，请在最新页面继续。',
  },
  'inspect.noTemplate': { en: 'No checklist template is installed.', zh: '尚未安装检查表模板。' },
  'inspect.noPeople': { en: '(nobody registered in this department)', zh: '（该部门尚无登记人员）' },
  'inspect.saved': {
    en: 'Inspection #{id} of {dept} saved: overall {score}, {findings} finding(s).',
    zh: '督导检查 #{id}（{dept}）已保存：总分 {score}，问题 {findings} 条。',
  },

  'summary.title': { en: 'Inspection #{id} — {dept}', zh: '督导检查 #{id} — {dept}' },
  'summary.by': {
    en: 'By {supervisor} on {date} · template {template} v{version}',
    zh: '督导员 {supervisor} · {date} · 模板 {template} 第 {version} 版',
  },
  'summary.overall': { en: 'Overall', zh: '总分' },
  'summary.fallback': {
    en: 'I could not post this summary where the inspection was started (invite me to that channel to post there next time), so here it is.',
    zh: '无法在发起检查的会话中发布此总结（下次请先把我加入该群/频道），现发送给您。',
  },
  'summary.findingsTitle': { en: 'Findings ({n})', zh: '发现问题（{n}）' },
  'summary.noFindings': { en: 'No findings. Well done.', zh: '未发现问题，做得好。' },
  'summary.findingLine': {
    en: '#{id} [{severity}] {dimension} / {item}: {description} — {owner}',
    zh: '#{id} [{severity}] {dimension} / {item}：{description} — {owner}',
  },

  'dm.intro': {
    en: '{supervisor} inspected {dept} (inspection #{inspection}). Please plan the rectification.',
    zh: '{supervisor} 对 {dept} 进行了督导检查（#{inspection}），请制定整改计划。',
  },

  'status.title': { en: 'Status — {scope}', zh: '状态 — {scope}' },
  'status.allDepts': { en: 'all departments', zh: '全部部门' },
  'status.inspections': { en: 'Inspections done', zh: '已完成检查' },
  'status.lastInspection': { en: 'Last inspection', zh: '最近检查' },
  'status.avgOverall': { en: 'Average overall', zh: '平均总分' },
  'status.byDimension': { en: 'Average by dimension', zh: '各维度平均分' },
  'status.openBySeverity': { en: 'Open findings by severity', zh: '未整改问题（按严重程度）' },
  'status.oldestOpen': { en: 'Oldest open finding', zh: '最早的未整改问题' },
  'status.oldestLine': {
    en: '#{id} {description} — {owner}, open {age}',
    zh: '#{id} {description} — {owner}，待处理 {age}',
  },
  'status.noInspections': { en: 'No inspections yet.', zh: '暂无检查记录。' },

  'findings.title': { en: 'Findings — {scope} ({filter})', zh: '问题清单 — {scope}（{filter}）' },
  'findings.filterOpen': { en: 'open', zh: '待整改' },
  'findings.filterAll': { en: 'all', zh: '全部' },
  'findings.line': {
    en: '#{id} [{severity}] {description} — {owner}, {dept}, {age}, {status}',
    zh: '#{id} [{severity}] {description} — {owner}，{dept}，{age}前创建，{status}',
  },
  'findings.none': { en: 'No findings.', zh: '暂无问题记录。' },
  'findings.more': { en: '…and {n} more.', zh: '……另有 {n} 项未列出。' },
  'age.days': { en: '{n} d', zh: '{n} 天' },
  'age.hours': { en: '{n} h', zh: '{n} 小时' },
  'age.underHour': { en: 'under 1 h', zh: '不到 1 小时' },

  'setup.welcome': {
    en: 'Hello {name}! I am dudao, the operations-supervision bot. Type `help` to see what I can do.',
    zh: '您好，{name}！我是督导机器人。输入 `帮助` 查看可用命令。',
  },
} as const satisfies Record<string, { en: string; zh: string }>;

export type MessageKey = keyof typeof MESSAGES;
