// Sentences of the approval flow (issue 10), merged into MESSAGES.
export const APPROVAL_MESSAGES = {
  'approval.status.pending': { en: 'awaiting approval', zh: '待审批' },
  'approval.status.returned': { en: 'returned for revision', zh: '已退回修改' },
  'approval.status.approved': { en: 'approved', zh: '已批准' },

  'approval.action.submit': { en: 'Submit for approval', zh: '提交审批' },
  'approval.action.approve': { en: 'Approve', zh: '批准' },
  'approval.action.return': { en: 'Return', zh: '退回' },
  'approval.action.resubmit': { en: 'Revise and resubmit', zh: '修改后重新提交' },
  'approval.action.remind': { en: 'Reminder', zh: '催办' },

  'approval.who.currentApprover': { en: 'the approver whose turn it is', zh: '当前审批人' },
  'approval.who.submitter': { en: 'the submitter', zh: '提交人' },

  'approval.cardTitle': { en: 'Approval #{id}: {title}', zh: '审批 #{id}：{title}' },
  'approval.field.status': { en: 'Status', zh: '状态' },
  'approval.field.submitter': { en: 'Submitted by', zh: '提交人' },
  'approval.field.approvers': { en: 'Approvers, in order', zh: '审批人（依次）' },
  'approval.field.round': { en: 'Round', zh: '轮次' },
  'approval.field.returnReason': { en: 'Returned because', zh: '退回原因' },
  'approval.historyTitle': { en: 'Approval #{id} — history', zh: '审批 #{id} — 历史记录' },

  'approval.form.approve.title': { en: 'Approve #{id}', zh: '批准 #{id}' },
  'approval.form.return.title': { en: 'Return #{id}', zh: '退回 #{id}' },
  'approval.form.resubmit.title': { en: 'Revise #{id}', zh: '修改 #{id}' },
  'approval.form.comment': { en: 'Comment (optional)', zh: '意见（可选）' },
  'approval.form.reason': { en: 'Why it goes back, and what to change', zh: '退回原因及需要修改的内容' },
  'approval.form.title': { en: 'Title', zh: '标题' },
  'approval.form.body': { en: 'Content', zh: '内容' },
  'approval.form.changes': { en: 'What you changed (optional)', zh: '修改说明（可选）' },

  'approval.notice.submit': {
    en: '{actor} asks for your approval of #{id} “{title}”.',
    zh: '{actor} 请您审批 #{id}“{title}”。',
  },
  'approval.notice.approve': {
    en: '{actor} approved #{id} “{title}”; {next} decides next.',
    zh: '{actor} 已批准 #{id}“{title}”，下一位审批人：{next}。',
  },
  'approval.notice.approved': {
    en: '{actor} approved #{id} “{title}”: it is approved by everyone.',
    zh: '{actor} 已批准 #{id}“{title}”，审批全部通过。',
  },
  'approval.notice.return': {
    en: '{actor} returned #{id} “{title}”: {note}',
    zh: '{actor} 退回了 #{id}“{title}”：{note}',
  },
  'approval.notice.resubmit': {
    en: '{actor} revised and resubmitted #{id} “{title}” (round {round}).',
    zh: '{actor} 已修改并重新提交 #{id}“{title}”（第 {round} 轮）。',
  },

  'approval.remind.lead': {
    en: 'Reminder {n}: approval #{id} “{title}” is waiting for your decision.',
    zh: '第 {n} 次催办：审批 #{id}“{title}”正在等待您审批。',
  },
  'approval.remind.escalation': {
    en: 'Approval #{id} “{title}” is still waiting for {approver} after {n} reminders.',
    zh: '审批 #{id}“{title}”已催办 {n} 次，仍在等待{approver}审批。',
  },

  'approval.unknown': { en: 'There is no approval #{id}.', zh: '找不到审批 #{id}。' },
  'approval.viewNotAllowed': {
    en: 'Only its submitter, its approvers and admins can see this approval.',
    zh: '只有提交人、审批人和管理员可以查看此审批。',
  },
  'approval.refuse.stale': {
    en: 'Approval #{id} changed since this form was opened; nothing was saved. Open it again.',
    zh: '审批 #{id} 在您填写期间已有变更，本次未保存。请重新打开。',
  },
  'approval.refuse.wrongStatus': {
    en: 'Approval #{id} is {status}; “{action}” is not possible now.',
    zh: '审批 #{id} 当前为“{status}”，无法执行“{action}”。',
  },
  'approval.refuse.notAllowed': {
    en: 'Only {roles} can {action} approval #{id}.',
    zh: '只有{roles}可以对审批 #{id} 执行“{action}”。',
  },
  'approval.refuse.noApprovers': {
    en: 'Name at least one approver other than yourself.',
    zh: '请至少指定一位除您以外的审批人。',
  },
  'approval.saved': { en: 'Saved. Approval #{id} is now {status}.', zh: '已保存。审批 #{id} 当前状态：{status}。' },
} as const satisfies Record<string, { en: string; zh: string }>;
