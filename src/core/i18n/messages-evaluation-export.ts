// Sentences of `eval export` in chat (the cycle summary as a file in the requester's direct message), merged
// into MESSAGES.
export const EVALUATION_EXPORT_MESSAGES = {
  'evaluation.export.preparing': {
    en: 'Preparing the export of {cycle} ({format})… I will send you the file in a direct message shortly.',
    zh: '正在准备 {cycle} 的导出文件（{format}）……稍后通过私信发送给您。',
  },
  'evaluation.export.caption': {
    en: 'Evaluation summary {cycle} ({kind}) as {format}: the summary and one row per member.',
    zh: '考核汇总 {cycle}（{kind}）{format} 文件：包含汇总及每位员工一行的明细。',
  },
  'evaluation.export.failed': {
    en: 'Sorry, the export of {cycle} ({format}) you asked for could not be delivered, even after several attempts. Please ask again later with `eval export {cycle}`.',
    zh: '抱歉，您请求的 {cycle} 导出文件（{format}）多次尝试后仍未能发送。请稍后重新发送 `考核 导出 {cycle}`。',
  },
  'evaluation.export.unknownCycle': {
    en: 'No evaluation cycle {name}: nothing was exported. Name a cycle like `2026-11` (monthly) or `2026` (annual); `eval status` shows the current one.',
    zh: '没有考核周期 {name}，未导出任何内容。请按 `2026-11`（月度）或 `2026`（年度）填写周期；`考核 状态` 可查看当前周期。',
  },
  'evaluation.export.unavailable': {
    en: 'Files cannot be sent in chat from this setup; on the bot’s server, `npx dudao eval export {cycle} --out {cycle}.xlsx` writes the file.',
    zh: '当前部署无法在聊天中发送文件；请在机器人服务器上运行 `npx dudao eval export {cycle} --out {cycle}.xlsx` 生成文件。',
  },
  'help.evalExport': {
    en: '`eval export [cycle] [csv|xlsx]` — the summary as a file (XLSX by default), sent to you in a direct message (HR, admins)',
    zh: '`考核 导出 [周期] [csv|xlsx]` — 将汇总导出为文件（默认 XLSX），私信发送给您（人事、管理员）',
  },
} as const satisfies Record<string, { en: string; zh: string }>;
