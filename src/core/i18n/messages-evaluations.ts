// Sentences of performance evaluations (issue 4), merged into MESSAGES.
export const EVALUATION_MESSAGES = {
  'evaluation.title': {
    en: 'Performance evaluation · {name} · {period} ({cycle})',
    zh: '绩效考核 · {name} · {period}（{cycle}）',
  },
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
  'evaluation.line.criterion': {
    en: '{criterion} ({weight}%): {parts} = {score}',
    zh: '{criterion}（{weight}%）：{parts} = {score}',
  },
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
  'evaluation.line.grade': {
    en: 'Grade {label} ({description}): from {min}',
    zh: '等级 {label}（{description}）：{min} 分及以上',
  },

  'evaluation.rule.severity': {
    en: 'Findings recorded, severity {severity}',
    zh: '记录的问题（严重程度：{severity}）',
  },
  'evaluation.rule.acceptedOnTime': { en: 'Findings accepted by their deadline', zh: '按期验收通过的问题' },
  'evaluation.rule.acceptedLate': { en: 'Findings accepted after their deadline', zh: '逾期后验收通过的问题' },
  'evaluation.rule.openOverdue': {
    en: 'Findings past their deadline and not accepted at the end of the cycle',
    zh: '周期结束时已逾期仍未验收的问题',
  },
  'evaluation.rule.openOverdueAsOf': {
    en: 'Findings past their deadline and not accepted when scored ({date})',
    zh: '评分时（{date}）已逾期仍未验收的问题',
  },
  'evaluation.rule.rejection': { en: 'Failed acceptance checks', zh: '验收未通过次数' },
  'evaluation.rule.cleanInspections': { en: 'Inspected, nothing found', zh: '经检查未发现问题' },
  'evaluation.sup.rule': {
    en: '{rule}: {count} × {each} = {points}{ids}',
    zh: '{rule}：{count} × {each} = {points}{ids}',
  },
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
  'evaluation.refused.noSubmission': {
    en: 'You have not written an evaluation for this member.',
    zh: '您没有为该员工填写评价。',
  },

  // Cycles in chat (src/core/evaluations/cycles).
  'evaluation.form.scale5': { en: '5 · outstanding', zh: '5 · 卓越' },
  'evaluation.form.scale4': { en: '4 · above expectations', zh: '4 · 优秀' },
  'evaluation.form.scale3': { en: '3 · meets expectations', zh: '3 · 合格' },
  'evaluation.form.scale2': { en: '2 · below expectations', zh: '2 · 待提高' },
  'evaluation.form.scale1': { en: '1 · far below expectations', zh: '1 · 差' },
  'evaluation.form.intro': { en: '{name} · {period}', zh: '{name} · {period}' },
  'evaluation.form.who.self': {
    en: 'Rate yourself on each criterion (1-5); comments are optional.',
    zh: '请就每项标准为自己打分（1-5），评语可选填。',
  },
  'evaluation.form.who.supervisor': {
    en: 'Your evaluation as their supervisor; their self-evaluation is shown under each criterion.',
    zh: '请以上级身份评价；每项标准下方显示员工的自评。',
  },
  'evaluation.form.who.peer': {
    en: 'Your evaluation as a colleague; the member sees it only folded into the result.',
    zh: '请以同事身份评价；员工只能看到汇总结果。',
  },
  'evaluation.form.who.customer': { en: 'Record the customer’s evaluation on their behalf.', zh: '代客户录入其评价。' },
  'evaluation.form.who.review': {
    en: 'Record the review conversation: the improvement plan and the next goals.',
    zh: '记录绩效面谈：改进计划与下阶段目标。',
  },
  'evaluation.form.customerName': { en: 'Customer (name and company)', zh: '客户（姓名及单位）' },
  'evaluation.form.selfHint': { en: 'self: {score}{comment}', zh: '自评：{score}{comment}' },
  'evaluation.form.selfNone': { en: 'self: not scored', zh: '自评：未评分' },
  'evaluation.form.comment': { en: 'Comment', zh: '评语' },
  'evaluation.form.title.self': { en: 'Self-evaluation', zh: '自我评价' },
  'evaluation.form.title.supervisor': { en: 'Supervisor evaluation', zh: '上级评价' },
  'evaluation.form.title.peer': { en: 'Peer evaluation', zh: '同事评价' },
  'evaluation.form.title.customer': { en: 'Customer evaluation', zh: '客户评价' },
  'evaluation.form.title.review': { en: 'Review conversation', zh: '绩效面谈' },
  'evaluation.form.title.peers': { en: 'Nominate peers', zh: '提名同事评价人' },
  'evaluation.form.who.peers': {
    en: 'Choose the colleagues who should evaluate you as peers (at most {n}, not yourself or your supervisor). {supervisor} approves or declines each; nominations already made stay.',
    zh: '请选择作为同事评价您的同事（最多 {n} 位，不能选本人或上级）。由 {supervisor} 逐一审批；已提名的同事会保留。',
  },
  'evaluation.form.peers': { en: 'Peer raters', zh: '同事评价人' },
  'evaluation.form.peersPlaceholder': { en: 'Choose colleagues', zh: '选择同事' },
  'evaluation.form.peersDeclined': { en: 'Declined by {supervisor}: {names}', zh: '{supervisor} 已拒绝：{names}' },
  'evaluation.form.err.score': { en: 'Choose a score from 1 to 5.', zh: '请选择 1-5 分。' },
  'evaluation.form.plan': { en: 'Improvement plan', zh: '改进计划' },
  'evaluation.form.goals': { en: 'Next goals', zh: '下阶段目标' },

  'evaluation.stage.self': { en: 'self-evaluation', zh: '自评中' },
  'evaluation.stage.supervisor': { en: 'supervisor evaluation', zh: '上级评价中' },
  'evaluation.stage.review': { en: 'review conversation', zh: '待绩效面谈' },
  'evaluation.stage.acknowledge': { en: 'waiting for acknowledgement', zh: '待员工确认' },
  'evaluation.stage.done': { en: 'done', zh: '已完成' },

  'evaluation.card.title': {
    en: 'Evaluation · {name} · {period} ({cycle})',
    zh: '绩效考核 · {name} · {period}（{cycle}）',
  },
  'evaluation.card.stage': { en: 'Stage', zh: '阶段' },
  'evaluation.card.closed': { en: 'cycle closed', zh: '周期已关闭' },
  'evaluation.card.deadline': { en: 'Deadline', zh: '截止时间' },
  'evaluation.card.supervisor': { en: 'Supervisor', zh: '上级' },
  'evaluation.card.steps': { en: 'Self / supervisor / review / acknowledged', zh: '自评 / 上级 / 面谈 / 确认' },
  'evaluation.card.peers': { en: 'Peers answered', zh: '同事已评' },

  'evaluation.action.self': { en: 'Fill in self-evaluation', zh: '填写自评' },
  'evaluation.action.supervisor': { en: 'Evaluate', zh: '填写上级评价' },
  'evaluation.action.peer': { en: 'Evaluate as a peer', zh: '填写同事评价' },
  'evaluation.action.customer': { en: 'Record a customer evaluation', zh: '录入客户评价' },
  'evaluation.action.finalize': { en: 'Score now', zh: '立即计算得分' },
  'evaluation.action.review': { en: 'Record review', zh: '记录面谈' },
  'evaluation.action.ack': { en: 'Acknowledge', zh: '确认' },
  'evaluation.action.result': { en: 'Result', zh: '查看结果' },
  'evaluation.action.approve': { en: 'Approve', zh: '同意' },
  'evaluation.action.decline': { en: 'Decline', zh: '拒绝' },
  'evaluation.action.nominate': { en: 'Nominate peers', zh: '提名同事评价人' },

  'evaluation.nomination.proposed': {
    en: '{member} nominated {peer} as a peer rater ({period}).',
    zh: '{member} 提名 {peer} 为同事评价人（{period}）。',
  },
  'evaluation.nomination.approved': {
    en: '{peer} will evaluate {member} as a peer ({period}).',
    zh: '已同意：{peer} 将作为同事评价 {member}（{period}）。',
  },
  'evaluation.nomination.declined': {
    en: '{peer} will not evaluate {member} ({period}).',
    zh: '已拒绝：{peer} 不参与评价 {member}（{period}）。',
  },

  'evaluation.status.title': {
    en: 'Evaluation {period} ({cycle}, {status})',
    zh: '绩效考核 {period}（{cycle}，{status}）',
  },
  'evaluation.status.open': { en: 'open', zh: '进行中' },
  'evaluation.status.closed': { en: 'closed', zh: '已关闭' },
  'evaluation.status.line': {
    en: '*{dept}*: {total} — {stages} — {pct}% done',
    zh: '*{dept}*：{total} 人 — {stages} — 完成 {pct}%',
  },
  'evaluation.status.deadline': { en: 'Deadline {deadline}', zh: '截止时间 {deadline}' },

  'evaluation.pending.title': { en: 'Evaluations waiting for me', zh: '待我处理的考核' },
  'evaluation.pending.none': { en: 'No evaluation is waiting for you.', zh: '暂无待您处理的考核。' },
  'evaluation.pending.self': {
    en: 'Your self-evaluation ({period}), due {deadline}',
    zh: '您的自评（{period}），截止 {deadline}',
  },
  'evaluation.pending.supervisor': {
    en: 'Evaluate {name} ({period}), due {deadline}',
    zh: '评价 {name}（{period}），截止 {deadline}',
  },
  'evaluation.pending.peer': {
    en: 'Peer evaluation of {name} ({period}), due {deadline}',
    zh: '同事评价 {name}（{period}），截止 {deadline}',
  },
  'evaluation.pending.decide': {
    en: 'Peer nominations of {name} to approve ({period})',
    zh: '待审批 {name} 的同事提名（{period}）',
  },
  'evaluation.pending.customer': {
    en: "Record a customer's evaluation of {name} ({period}), due {deadline}, or send the customer a link with `eval link`",
    zh: '为 {name} 记录客户评价（{period}），截止 {deadline}；也可用 `考核 链接` 给客户发送评价链接',
  },
  'evaluation.pending.score': {
    en: 'Score {name} now ({period}): the deadline {deadline} has passed; evaluations still missing will not count',
    zh: '立即计算{name}的得分（{period}）：截止时间 {deadline} 已过，未提交的评价不再计入',
  },
  'evaluation.pending.review': {
    en: 'Review conversation with {name} ({period}), due {deadline}',
    zh: '与 {name} 的绩效面谈（{period}），截止 {deadline}',
  },
  'evaluation.pending.ack': { en: 'Acknowledge your result ({period})', zh: '确认您的考核结果（{period}）' },

  'evaluation.refuse.closed': {
    en: 'This evaluation cycle is closed: nothing can be changed any more.',
    zh: '该考核周期已关闭，不能再做任何更改。',
  },
  'evaluation.refuse.wrongStage': {
    en: '“{action}” is not possible at this stage of the evaluation.',
    zh: '考核当前阶段不能执行“{action}”。',
  },
  'evaluation.refuse.notAllowed': {
    en: 'You may not “{action}” in this evaluation.',
    zh: '您不能在此考核中执行“{action}”。',
  },
  'evaluation.refuse.already': { en: '“{action}” has already been done.', zh: '“{action}”已完成，不能重复提交。' },
  'evaluation.refuse.notYet': { en: '“{action}” is not possible yet.', zh: '暂时还不能执行“{action}”。' },
  'evaluation.refuse.stale': {
    en: 'This evaluation changed since the form was opened; nothing was saved. Open it again from the latest card.',
    zh: '表单打开后考核状态已变化，未保存。请从最新卡片重新打开。',
  },

  'evaluation.open.noConfig': { en: 'No evaluation configuration is stored.', zh: '尚无考核配置。' },
  'evaluation.open.tooBig': {
    en: 'The evaluation configuration asks too many criteria for one form (at most {n} elements).',
    zh: '考核配置的评价项过多，无法放入一个表单（最多 {n} 个元素）。',
  },
  'evaluation.open.nobody': {
    en: 'Nobody to evaluate: the chosen departments have no members.',
    zh: '所选部门没有成员，无需考核。',
  },
  'evaluation.open.pastDeadline': { en: 'The deadline must be later than now.', zh: '截止日期必须晚于现在。' },
  'evaluation.open.extended': {
    en: 'Added {n} people ({depts}) to the {cycle} cycle {period}, which was open already; its deadline stays {deadline}. Each has a card to fill in their self-evaluation.',
    zh: '{period} 的{cycle}考核周期已开启，已加入 {n} 人（{depts}），截止时间仍为 {deadline}。每人已收到填写自评的卡片。',
  },
  'evaluation.open.exists': {
    en: 'A {cycle} cycle {period} exists already.',
    zh: '{period} 的{cycle}考核周期已存在。',
  },
  'evaluation.open.done': {
    en: 'Opened the {cycle} evaluation {period} for {n} members ({depts}), deadline {deadline}. Each of them has a card to fill in their self-evaluation.',
    zh: '已开启{cycle}考核 {period}，共 {n} 人（{depts}），截止 {deadline}。每人已收到填写自评的卡片。',
  },
  'evaluation.cycle.unknown': { en: 'No evaluation cycle {name}.', zh: '没有考核周期 {name}。' },
  'evaluation.cycle.none': { en: 'No evaluation cycle has been opened yet.', zh: '尚未开启任何考核周期。' },
  'evaluation.close.already': { en: 'The cycle {period} is closed already.', zh: '考核周期 {period} 已关闭。' },
  'evaluation.close.done': {
    en: 'Closed the {cycle} evaluation {period}: it is frozen, nothing can be submitted any more.',
    zh: '已关闭{cycle}考核 {period}：结果已冻结，不能再提交。',
  },
  'evaluation.close.told': {
    en: '{cards} cards marked closed; {told} people with a pending step were told.',
    zh: '已将 {cards} 张卡片标记为已关闭；已通知 {told} 位有待办步骤的人员。',
  },
  'evaluation.peers.noCycle': { en: 'You are not in an open annual evaluation.', zh: '您不在进行中的年度考核中。' },
  'evaluation.peers.notThem': {
    en: '{name} cannot be your peer rater (yourself or your supervisor).',
    zh: '{name} 不能作为您的同事评价人（本人或上级）。',
  },
  'evaluation.peers.nothingNew': { en: 'These colleagues are nominated already.', zh: '这些同事已被提名。' },
  'evaluation.peers.tooMany': { en: 'At most {n} peers can be nominated.', zh: '最多可提名 {n} 位同事。' },
  'evaluation.peers.unknown': {
    en: 'I do not know {names} yet (their profile cannot be read): they need to message me once, or an admin imports them. Or choose someone else.',
    zh: '还不认识 {names}（无法读取其资料）：请对方先给我发一条消息，或由管理员导入；也可以选择其他同事。',
  },
  'evaluation.peers.keep': {
    en: 'Nominations cannot be withdrawn: keep {names} (your supervisor may decline them).',
    zh: '已提名的同事不能撤回：请保留 {names}（可由上级拒绝）。',
  },
  'evaluation.peers.done': {
    en: 'Nominated {names}; {supervisor} approves or declines each.',
    zh: '已提名 {names}，由 {supervisor} 逐一审批。',
  },
  'evaluation.customerFacing.noCycle': {
    en: '{name} is not in an open annual evaluation.',
    zh: '{name} 不在进行中的年度考核中。',
  },
  'evaluation.customerFacing.on': {
    en: '{name} is customer-facing in {period}: customers can evaluate them.',
    zh: '{name} 在 {period} 为客户岗位，可由客户评价。',
  },
  'evaluation.customerFacing.alreadyOn': {
    en: '{name} is already customer-facing in {period}; nothing changed.',
    zh: '{name}在{period}中已是对客岗位，无需更改。',
  },
  'evaluation.customerFacing.alreadyOff': {
    en: '{name} is already not customer-facing in {period}; nothing changed.',
    zh: '{name}在{period}中已不是对客岗位，无需更改。',
  },
  'evaluation.customerFacing.off': {
    en: '{name} is not customer-facing in {period}.',
    zh: '{name} 在 {period} 不是客户岗位。',
  },
  'evaluation.result.none': { en: '{name} has no evaluation.', zh: '{name} 没有考核记录。' },
  'evaluation.result.notYet': { en: 'The score is not computed yet.', zh: '尚未计算得分。' },
  'evaluation.unknown': { en: 'This evaluation no longer exists.', zh: '该考核不存在。' },
  'evaluation.saved': { en: 'Saved. The evaluation is now at: {stage}.', zh: '已保存。考核当前阶段：{stage}。' },
  'evaluation.notice.opened': {
    en: 'The evaluation {period} is open: please fill in your self-evaluation by {deadline}.',
    zh: '考核 {period} 已开启，请在 {deadline} 前填写自评。',
  },
  'evaluation.notice.selfDone': {
    en: '{name} submitted their self-evaluation ({period}); your evaluation is due.',
    zh: '{name} 已提交自评（{period}），请填写上级评价。',
  },
  'evaluation.notice.scored': {
    en: 'The score of {name} ({period}) is computed; please hold and record the review conversation.',
    zh: '{name} 的考核得分（{period}）已计算，请进行并记录绩效面谈。',
  },
  'evaluation.notice.reviewed': {
    en: '{actor} recorded your review ({period}): your result is ready to read and acknowledge.',
    zh: '{actor} 已记录您的绩效面谈（{period}），请查看并确认考核结果。',
  },
  'evaluation.notice.closed': {
    en: 'The {cycle} evaluation {period} has been closed: your pending step can no longer be done.',
    zh: '{cycle}考核 {period} 已关闭，您的待办步骤已无法再完成。',
  },
  'evaluation.notice.closedCard': {
    en: 'This cycle is closed: nothing more can be done here.',
    zh: '该考核周期已关闭，此处不能再进行任何操作。',
  },
  'evaluation.digest.due': { en: 'due {deadline}', zh: '截止 {deadline}' },
  'evaluation.digest.overdue': { en: 'past the deadline {deadline}', zh: '已超过截止时间 {deadline}' },
  'evaluation.digest.escalation': {
    en: 'still pending with {owner}, past the deadline {deadline}',
    zh: '{owner} 仍未完成，已超过截止时间 {deadline}',
  },

  'evaluation.customer.already': {
    en: '{customer} has already evaluated {name} ({period}): each customer answers once, by chat or by link. Nothing was saved.',
    zh: '{customer} 已评价过 {name}（{period}）：每位客户只能评价一次（聊天录入或链接均算）。未保存任何内容。',
  },
  'evaluation.link.done': {
    en: 'One-time link for {customer} to evaluate {name} ({period}), valid until {expires}:\n{url}\nSend it to the customer yourself: it works once, and whoever has it can answer, so do not post it in a channel.',
    zh: '供 {customer} 评价 {name}（{period}）的一次性链接，有效期至 {expires}：\n{url}\n请亲自发送给客户：链接只能使用一次，持有链接的任何人都能填写，请勿发到群里。',
  },
  'evaluation.summary.files': {
    en: "Files: `eval export {cycle}` (or `eval export {cycle} csv`) sends you this summary with one row per member in a direct message; on the bot's server `npx dudao eval export {cycle} --out {cycle}.xlsx` writes it.",
    zh: '导出文件：发送 `考核 导出 {cycle}`（或 `考核 导出 {cycle} csv`），本汇总及每位员工一行的明细将私信发给您；也可在机器人服务器上运行 `npx dudao eval export {cycle} --out {cycle}.xlsx`。',
  },

  'help.evalOpen': {
    en: '`eval open <monthly|annual> [YYYY-MM|YYYY] [dept <name>…] [deadline YYYY-MM-DD]` — open an evaluation cycle for a period (by default this month or year), for departments with their sub-departments (HR, admins)',
    zh: '`考核 开启 <月度|年度> [YYYY-MM|YYYY] [部门 <名称>…] [截止 YYYY-MM-DD]` — 开启某一周期的考核（默认本月或本年），部门含其下级部门（人事、管理员）',
  },
  'help.evalStatus': {
    en: '`eval status [cycle]` — completion by department and stage (HR, admins; managers: their department)',
    zh: '`考核 状态 [周期]` — 各部门各阶段完成情况（人事、管理员；经理看本部门）',
  },
  'help.evalClose': {
    en: '`eval close [cycle]` — close and freeze a cycle (HR, admins)',
    zh: '`考核 关闭 [周期]` — 关闭并冻结考核周期（人事、管理员）',
  },
  'help.evalMine': { en: '`eval mine` — evaluations waiting for me', zh: '`考核 我的` — 待我处理的考核' },
  'help.evalPeers': {
    en: '`eval peers [@a @b…]` — nominate peer raters (annual); without names it opens a picker',
    zh: '`考核 同事 [@甲 @乙…]` — 提名同事评价人（年度）；不带姓名时打开选人表单',
  },
  'help.evalCustomer': {
    en: '`eval customer-facing @user <yes|no>` (HR, admins); `eval customer @user` — record a customer’s evaluation on their behalf',
    zh: '`考核 客户岗位 @用户 <是|否>`（人事、管理员）；`考核 客户 @用户` — 代客户录入评价',
  },
  'help.evalLink': {
    en: '`eval link @user "<customer name>"` — a one-time web link for a customer to evaluate a customer-facing member (their supervisor, HR, admins; annual)',
    zh: '`考核 链接 @用户 "<客户名称>"` — 生成一次性网页链接，供客户评价面向客户的员工（其上级、人事、管理员；年度）',
  },
  'help.evalSummary': {
    en: '`eval summary [cycle]` — HR summary: scores, grades, members flagged for position review (HR, admins)',
    zh: '`考核 汇总 [周期]` — 人事汇总：得分分布、等级、需岗位评估的员工（人事、管理员）',
  },
  'help.evalResult': {
    en: '`eval result [@user] [cycle]` — a result, as far as you may see it',
    zh: '`考核 结果 [@用户] [周期]` — 查看考核结果（按权限）',
  },
} as const satisfies Record<string, { en: string; zh: string }>;
