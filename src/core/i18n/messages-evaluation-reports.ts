// Words of the evaluation summary and exports (evalsum.*) and of the customer's web form (custform.*),
// merged into MESSAGES under those prefixes so that they are checked like every other sentence.

export const SUMMARY_WORDS = {
  title: { en: 'Evaluation summary · {name} ({kind})', zh: '考核汇总 · {name}（{kind}）' },
  'kind.monthly': { en: 'monthly', zh: '月度' },
  'kind.annual': { en: 'annual', zh: '年度' },
  'status.open': { en: 'open', zh: '进行中' },
  'status.closed': { en: 'closed', zh: '已关闭' },
  period: { en: 'Period', zh: '周期' },
  'sheet.summary': { en: 'Summary', zh: '汇总' },
  'sheet.members': { en: 'Members', zh: '成员' },
  status: { en: 'Status', zh: '状态' },
  participants: { en: 'Participants', zh: '参评人数' },
  done: { en: 'Completed', zh: '已完成' },
  scored: { en: 'Scored', zh: '已评分' },
  mean: { en: 'Mean', zh: '平均分' },
  median: { en: 'Median', zh: '中位数' },
  min: { en: 'Lowest', zh: '最低分' },
  max: { en: 'Highest', zh: '最高分' },
  'stage.self': { en: 'self-evaluation', zh: '自评' },
  'stage.supervisor': { en: 'supervisor evaluation', zh: '上级评价' },
  'stage.review': { en: 'review conversation', zh: '绩效面谈' },
  'stage.acknowledge': { en: 'acknowledgement', zh: '员工确认' },
  'stage.done': { en: 'done', zh: '已完成' },
  byStage: { en: 'By stage', zh: '按阶段' },
  byDepartment: { en: 'Completion by department', zh: '各部门完成情况' },
  noDepartment: { en: '(no department)', zh: '（无部门）' },
  deptLine: {
    en: '{name}: {done}/{total} done ({pct}%){stages}',
    zh: '{name}：{done}/{total} 已完成（{pct}%）{stages}',
  },
  distribution: { en: 'Score distribution', zh: '分数分布' },
  grades: { en: 'Grades', zh: '等级分布' },
  flagged: {
    en: 'Position review: below {below} in {n} or more consecutive {kind} cycles',
    zh: '岗位调整评估：连续 {n} 个及以上{kind}周期低于 {below} 分',
  },
  flaggedNone: { en: 'Nobody', zh: '无' },
  flaggedLine: {
    en: '{name} ({dept}): {score}, {streak} cycles in a row ({cycles})',
    zh: '{name}（{dept}）：{score} 分，连续 {streak} 个周期（{cycles}）',
  },
  more: { en: '… and {n} more (see the export)', zh: '……另有 {n} 项（见导出文件）' },
  none: { en: '-', zh: '-' },
  // Export columns.
  'col.name': { en: 'Name', zh: '姓名' },
  'col.department': { en: 'Department', zh: '部门' },
  'col.stage': { en: 'Stage', zh: '阶段' },
  'col.supervision': { en: 'Supervision points', zh: '督导积分' },
  'col.overall': { en: 'Overall score', zh: '综合得分' },
  'col.grade': { en: 'Grade', zh: '等级' },
  'col.flagged': { en: 'Position review', zh: '岗位调整评估' },
  'col.streak': { en: 'Cycles below threshold in a row', zh: '连续低于标准周期数' },
  yes: { en: 'yes', zh: '是' },
  no: { en: 'no', zh: '否' },
  item: { en: 'Item', zh: '项目' },
  value: { en: 'Value', zh: '数值' },
  count: { en: 'Count', zh: '人数' },
  range: { en: 'Score range', zh: '分数段' },
  total: { en: 'Participants', zh: '人数' },
  pct: { en: 'Completed %', zh: '完成率 %' },
  belowScore: { en: 'Position review threshold', zh: '岗位调整评估分数线' },
  consecutive: { en: 'Consecutive cycles', zh: '连续周期数' },
} as const satisfies Record<string, { en: string; zh: string }>;

export const CUSTOMER_FORM_WORDS = {
  title: { en: 'Customer evaluation', zh: '客户评价' },
  intro: {
    en: 'Dear {customer}, please rate how {member} worked with you ({cycle}). Your answers go to the HR team and are part of the annual evaluation.',
    zh: '{customer}您好，请评价 {member} 在与您合作中的表现（{cycle}）。您的评价将提交给人事部门，计入年度绩效考核。',
  },
  cycle: { en: 'annual evaluation {name}', zh: '{name} 年度考核' },
  scale: { en: '1 = poor, 3 = meets expectations, 5 = excellent', zh: '1 = 差，3 = 符合预期，5 = 优秀' },
  comment: { en: 'Comment (optional)', zh: '意见（选填）' },
  submit: { en: 'Submit', zh: '提交' },
  once: {
    en: 'This link works once: after you submit, it cannot be used again.',
    zh: '此链接只能使用一次：提交后即失效。',
  },
  errorsTitle: {
    en: 'Please check the marked answers; nothing was saved yet.',
    zh: '请检查标出的项目；尚未保存任何内容。',
  },
  'err.required': { en: 'Choose a score from 1 to 5.', zh: '请选择 1 到 5 分。' },
  'err.invalid': { en: 'Choose one score from 1 to 5.', zh: '请只选择一个 1 到 5 的分数。' },
  'err.tooLong': { en: 'At most {max} characters.', zh: '最多 {max} 个字符。' },
  'err.rejected': {
    en: 'These answers could not be accepted. Please check them and submit again.',
    zh: '无法接受这些答案，请检查后重新提交。',
  },
  'err.unknownField': {
    en: 'The form sent fields it does not have; please use the form below.',
    zh: '表单包含无法识别的内容，请使用下面的表单重新提交。',
  },
  thanksTitle: { en: 'Thank you', zh: '感谢您的评价' },
  thanks: {
    en: 'Your evaluation of {member} has been recorded. You can close this page.',
    zh: '您对 {member} 的评价已记录，可以关闭此页面。',
  },
  'refused.unknown': {
    en: 'This link is not valid. Check that it was copied completely, or ask your contact for a new one.',
    zh: '此链接无效。请确认链接已完整复制，或联系对接人获取新链接。',
  },
  'refused.expired': {
    en: 'This link has expired. Ask your contact for a new one.',
    zh: '此链接已过期，请联系对接人获取新链接。',
  },
  'refused.used': {
    en: 'This link has already been used: the evaluation was submitted. Each link works once.',
    zh: '此链接已使用过：评价已提交。每个链接只能使用一次。',
  },
  'refused.closed': {
    en: 'This evaluation has closed; answers are no longer accepted.',
    zh: '此次考核已结束，不再接受评价。',
  },
  'refused.finished': {
    en: 'This evaluation no longer takes customer answers: it has been completed. Nothing was saved. Thank you all the same.',
    zh: '此次评价已不再接受客户意见：该员工的考核已完成。您的答案未被保存，仍然感谢您的支持。',
  },
  'refused.answered': {
    en: 'Your evaluation of this member has already been recorded (through another link or by your contact): each customer answers once. Nothing was saved. Thank you all the same.',
    zh: '您对该员工的评价已记录过（通过其他链接或由对接人录入）：每位客户只能评价一次。本次答案未被保存，仍然感谢您的支持。',
  },
  refusedTitle: { en: 'Link not available', zh: '链接不可用' },
  tooLargeTitle: { en: 'Too much data', zh: '提交内容过大' },
  tooLarge: {
    en: 'The form sent more data than it can hold. Please shorten your comments and try again.',
    zh: '提交的内容超出限制，请缩短意见后重试。',
  },
  badRequest: { en: 'Please submit the form on this page.', zh: '请通过此页面的表单提交。' },
  switchTo: { en: '中文', zh: 'English' },
} as const satisfies Record<string, { en: string; zh: string }>;

type Prefixed<P extends string, T> = { [K in keyof T as `${P}${K & string}`]: T[K] };

function prefixed<P extends string, T extends Record<string, unknown>>(prefix: P, words: T): Prefixed<P, T> {
  return Object.fromEntries(Object.entries(words).map(([k, v]) => [`${prefix}${k}`, v])) as Prefixed<P, T>;
}

export const EVALUATION_REPORT_MESSAGES = {
  ...prefixed('evalsum.', SUMMARY_WORDS),
  ...prefixed('custform.', CUSTOMER_FORM_WORDS),
};
