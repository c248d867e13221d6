import { describe, expect, it } from 'vitest';
import { helpMessage } from '../../../src/core/commands/help.js';
import { parseCommand } from '../../../src/core/commands/parse.js';

const evalOf = (text: string) => {
  const r = parseCommand(text);
  return r.ok && r.command.name === 'eval' ? r.command.eval : r;
};

describe('eval export grammar', () => {
  it('takes an optional cycle and an optional format, in either order, in English and Chinese', () => {
    expect(evalOf('eval export')).toEqual({ sub: 'export' });
    expect(evalOf('eval export 2026-11')).toEqual({ sub: 'export', cycle: '2026-11' });
    expect(evalOf('eval export 2026-11 csv')).toEqual({ sub: 'export', cycle: '2026-11', format: 'csv' });
    expect(evalOf('eval export XLSX 2026')).toEqual({ sub: 'export', cycle: '2026', format: 'xlsx' });
    expect(evalOf('eval export excel')).toEqual({ sub: 'export', format: 'xlsx' });
    expect(evalOf('考核 导出 2026-11')).toEqual({ sub: 'export', cycle: '2026-11' });
    expect(evalOf('绩效 导出 csv')).toEqual({ sub: 'export', format: 'csv' });
  });

  it('answers extra words with the usage of eval', () => {
    expect(parseCommand('eval export 2026-11 csv xlsx')).toMatchObject({ ok: false, kind: 'usage', topic: 'eval' });
    expect(parseCommand('eval export 2026-10 2026-11')).toMatchObject({ ok: false, kind: 'usage', topic: 'eval' });
  });

  it('is in the help, in both languages', () => {
    const text = (l: 'en' | 'zh-CN') =>
      helpMessage(l, 'slack', 'eval')
        .blocks.map((b) => ('text' in b ? b.text : ''))
        .join('\n');
    expect(text('en')).toContain('`eval export [cycle] [csv|xlsx]`');
    expect(text('zh-CN')).toContain('`考核 导出 [周期] [csv|xlsx]`');
  });
});
