import type { MessageKey } from '../i18n/messages.js';
import { t } from '../i18n/t.js';
import type { Locale, Platform } from '../ports.js';
import type { MessageView } from '../views/types.js';
import type { CommandName } from './parse.js';

const LINES: Record<CommandName, MessageKey[]> = {
  help: ['help.help'],
  dept: ['help.deptAdd', 'help.deptList'],
  role: ['help.role'],
  template: ['help.templateList'],
  inspect: ['help.inspect'],
  findings: ['help.findings'],
  status: ['help.status'],
  finding: ['help.finding'],
  my: ['help.my'],
  overdue: ['help.overdue'],
  remind: ['help.remind'],
  eval: [
    'help.evalOpen',
    'help.evalStatus',
    'help.evalClose',
    'help.evalMine',
    'help.evalPeers',
    'help.evalCustomer',
    'help.evalLink',
    'help.evalResult',
    'help.evalScore',
    'help.evalSummary',
    'help.evalExport',
  ],
};

export const prefixFor = (platform: Platform) => (platform === 'slack' ? '/dudao' : '/dudao');

export function helpMessage(locale: Locale, platform: Platform, topic?: CommandName, lead?: string): MessageView {
  const keys = topic ? LINES[topic] : Object.values(LINES).flat();
  const lines = keys.map((k) => `- ${t(locale, k)}`).join('\n');
  const blocks: MessageView['blocks'] = [];
  if (lead) blocks.push({ kind: 'text', text: lead });
  blocks.push({ kind: 'header', text: t(locale, 'help.title') });
  if (!topic) blocks.push({ kind: 'context', text: t(locale, 'help.intro', { prefix: prefixFor(platform) }) });
  blocks.push({ kind: 'text', text: topic ? `${t(locale, 'help.usage', { usage: '' })}\n${lines}` : lines });
  return { text: lead ?? t(locale, 'help.title'), blocks };
}
