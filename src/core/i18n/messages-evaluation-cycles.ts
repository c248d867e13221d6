// Sentences of `eval score` (score now), an explicit period for `eval open`, the written evaluations shown by
// `eval result`, and step refusals that are not about a form; merged into MESSAGES.
export const EVALUATION_CYCLE_MESSAGES = {
  'evaluation.score.done': {
    en: 'Computed the score of {name} ({period}): the review conversation is next. `eval result` shows it.',
    zh: '已计算 {name} 的考核得分（{period}），下一步是绩效面谈。可用 `考核 结果` 查看。',
  },
  'evaluation.score.waitSelf': {
    en: '{name} has not submitted the self-evaluation ({period}) yet: the score can be computed once the self-evaluation and the supervisor’s evaluation are in.',
    zh: '{name} 尚未提交自评（{period}）：自评和上级评价都提交后才能计算得分。',
  },
  'evaluation.score.waitSupervisor': {
    en: 'The supervisor’s evaluation of {name} ({period}) is not in yet: the score cannot be computed without it.',
    zh: '{name} 的上级评价（{period}）尚未提交，没有上级评价不能计算得分。',
  },
  'evaluation.score.beforeDeadline': {
    en: 'Evaluations of {name} ({period}) are still awaited ({n} peers have not answered). Before the deadline ({deadline}) the score is computed when they are all in; after it, `eval score` computes it without them.',
    zh: '{name} 的考核（{period}）仍有评价未提交（{n} 位同事未填写）。截止时间（{deadline}）前，全部提交后自动计算得分；截止后可用 `考核 评分` 在缺少这些评价的情况下计算。',
  },
  'evaluation.score.beforeDeadlineAny': {
    en: 'Evaluations of {name} ({period}) are still awaited. Before the deadline ({deadline}) the score is computed when they are all in; after it, `eval score` computes it without them.',
    zh: '{name} 的考核（{period}）仍有评价未完成。截止时间（{deadline}）前，全部完成后自动计算得分；截止后可用 `考核 评分` 在缺少这些评价的情况下计算。',
  },
  'evaluation.score.already': {
    en: 'The score of {name} ({period}) is computed already.',
    zh: '{name} 的考核得分（{period}）已计算。',
  },
  'evaluation.score.none': {
    en: '{name} is not in an open evaluation cycle.',
    zh: '{name} 不在进行中的考核周期中。',
  },
  'evaluation.open.badPeriod': {
    en: '“{period}” is not a valid {cycle} period: write YYYY-MM for a monthly cycle (e.g. 2026-11) or YYYY for an annual one (e.g. 2026).',
    zh: '“{period}”不是有效的{cycle}周期：月度请写 YYYY-MM（如 2026-11），年度请写 YYYY（如 2026）。',
  },
  'evaluation.open.futurePeriod': {
    en: 'The period {period} has not begun yet: a cycle can be opened for the current or a past period only.',
    zh: '周期 {period} 尚未开始：只能为当前或过去的周期开启考核。',
  },
  'evaluation.refuse.customersClosed': {
    en: 'The score of this evaluation is computed already: customers can no longer be added or changed, and nothing was saved.',
    zh: '该考核的得分已计算，不能再添加或更改客户评价，本次未保存。',
  },
  'evaluation.written.title': { en: 'Written evaluations', zh: '书面评价' },
  'evaluation.written.own': { en: 'What you wrote', zh: '您填写的评价' },
  'evaluation.written.self': { en: 'Self-evaluation · {name}', zh: '自评 · {name}' },
  'evaluation.written.supervisor': { en: 'Supervisor’s evaluation · {name}', zh: '上级评价 · {name}' },
  'evaluation.written.supervisorAnon': { en: 'Supervisor’s evaluation', zh: '上级评价' },
  'evaluation.written.peer': { en: 'Peer evaluation · {name}', zh: '同事评价 · {name}' },
  'evaluation.written.customer': { en: 'Customer evaluation · {name}', zh: '客户评价 · {name}' },
  'evaluation.written.line': { en: '{criterion}: {score}', zh: '{criterion}：{score}' },
  'evaluation.written.lineNote': { en: '{criterion}: {score} — {note}', zh: '{criterion}：{score} — {note}' },
  'help.evalScore': {
    en: '`eval score @user [cycle]` — score now: compute the score once the deadline has passed, without the peers who did not answer (the supervisor, HR, admins)',
    zh: '`考核 评分 @用户 [周期]` — 立即计算得分：截止后在缺少未提交的同事评价的情况下计算（上级、人事、管理员）',
  },
} as const satisfies Record<string, { en: string; zh: string }>;
