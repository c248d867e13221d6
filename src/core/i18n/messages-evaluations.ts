// Sentences of performance evaluations (issue 4), merged into MESSAGES.
export const EVALUATION_MESSAGES = {
  'evaluation.title': { en: 'Performance evaluation · {name} · {period} ({cycle})', zh: '绩效考核 · {name} · {period}（{cycle}）' },
  'evaluation.cycle.monthly': { en: 'monthly', zh: '月度' },
  'evaluation.cycle.annual': { en: 'annual', zh: '年度' },
  'evaluation.overall': { en: 'Overall score', zh: '综合得分' },
  'evaluation.grade': { en: 'Grade', zh: '等级' },
  'evaluation.gradeValue': { en: '{label} · {description}', zh: '{label} · {description}' },

  'evaluation.rater.self': { en: 'self', zh: '自评' },
  'evaluation.rater.supervisor': { en: 'supervisor', zh: '上级' },
  'evaluation.rater.peer': { en: 'peers', zh: '同事' },
  'evaluation.rater.customer': { en: 'customers', zh: '客户' },

  'evaluation.line.raters': { en: 'Rater weights ({cycle}): {weights}', zh: '评价权重（{cycle}）：{weights}' },
  'evaluation.line.ratersMissing': {
    en: 'No evaluation from {kinds}: their weight is spread over the others in proportion, giving {weights}.',
    zh: '无{kinds}评价：其权重按比例分配给其他评价方，实际为：{weights}。',
  },
  'evaluation.line.criterion': { en: '{criterion} ({weight}%): {parts} = {score}', zh: '{criterion}（{weight}%）：{parts} = {score}' },
  'evaluation.line.raterPart': { en: '{rater} {score} × {weight}%', zh: '{rater} {score} × {weight}%' },
  'evaluation.line.raterPartMany': {
    en: '{rater} ({n}, average {mean}) {score} × {weight}%',
    zh: '{rater}（{n} 人，平均 {mean}）{score} × {weight}%',
  },
  'evaluation.line.dimension': { en: '*{dimension}* ({weight}%): {score}', zh: '*{dimension}*（{weight}%）：{score}' },
  'evaluation.line.dimensionAdjusted': {
    en: '*{dimension}* ({weight}%): {base} {points} supervision points = {score}',
    zh: '*{dimension}*（{weight}%）：{base} {points} 督导积分 = {score}',
  },
  'evaluation.line.clamped': { en: ' (kept within 0-100)', zh: '（限定在 0-100 之间）' },
  'evaluation.line.overall': { en: 'Overall: {parts} = {score}', zh: '综合得分：{parts} = {score}' },
  'evaluation.line.grade': { en: 'Grade {label} ({description}): from {min}', zh: '等级 {label}（{description}）：{min} 分及以上' },

  'evaluation.rule.severity': { en: 'Findings recorded, severity {severity}', zh: '记录的问题（严重程度：{severity}）' },
  'evaluation.rule.acceptedOnTime': { en: 'Findings accepted by their deadline', zh: '按期验收通过的问题' },
  'evaluation.rule.acceptedLate': { en: 'Findings accepted after their deadline', zh: '逾期后验收通过的问题' },
  'evaluation.rule.openOverdue': { en: 'Findings past their deadline and not accepted at the end of the cycle', zh: '周期结束时已逾期仍未验收的问题' },
  'evaluation.rule.rejection': { en: 'Failed acceptance checks', zh: '验收未通过次数' },
  'evaluation.rule.cleanInspections': { en: 'Inspected, nothing found', zh: '经检查未发现问题' },
  'evaluation.sup.rule': { en: '{rule}: {count} × {each} = {points}{ids}', zh: '{rule}：{count} × {each} = {points}{ids}' },
  'evaluation.sup.ids': { en: ' ({ids})', zh: '（{ids}）' },
  'evaluation.sup.total': { en: 'Supervision points of the department: {points}', zh: '部门督导积分：{points}' },
  'evaluation.sup.capped': {
    en: 'Supervision points of the department: {raw}, limited to {points} (range {min} to {max})',
    zh: '部门督导积分：{raw}，按上下限（{min} 至 {max}）计 {points}',
  },
  'evaluation.sup.none': {
    en: 'Supervision record of the department: no points this cycle ({inspections} inspections)',
    zh: '部门督导记录：本周期无加减分（检查 {inspections} 次）',
  },

  'evaluation.refused.notInvolved': { en: 'You are not part of this evaluation.', zh: '您不是此次考核的相关人员。' },
  'evaluation.refused.beforeReview': {
    en: 'This is shown once the review conversation has been recorded.',
    zh: '考核沟通记录后才能查看此内容。',
  },
  'evaluation.refused.anonymous': {
    en: 'Peer and customer evaluations count in the result but are not shown one by one.',
    zh: '同事和客户的评价计入考核结果，但不单独显示。',
  },
  'evaluation.refused.ownOnly': { en: 'You can see only the evaluation you wrote.', zh: '您只能查看自己填写的评价。' },
  'evaluation.refused.noSubmission': { en: 'You have not written an evaluation for this member.', zh: '您没有为该员工填写评价。' },
} as const satisfies Record<string, { en: string; zh: string }>;
