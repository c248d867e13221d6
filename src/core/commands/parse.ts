// One grammar for Slack and Feishu, with Chinese aliases. Mentions arrive as <@ID> or <@ID|name>.

import type { EvalCommand } from '../evaluations/cycles/service.js';
import type { Role } from '../ports.js';

export type Command =
  | { name: 'help'; topic?: CommandName }
  | { name: 'dept.add'; deptName: string; managerMention?: string }
  | { name: 'dept.list' }
  | { name: 'role'; mention: string; role: Role; deptName?: string }
  | { name: 'template.list' }
  | { name: 'inspect'; deptName: string }
  | { name: 'findings'; deptName?: string; filter: 'open' | 'all' }
  | { name: 'status'; deptName?: string }
  | { name: 'finding'; id: number }
  | { name: 'my' }
  | { name: 'overdue'; deptName?: string }
  | { name: 'remind' }
  | { name: 'eval'; eval: EvalCommand };

export type CommandName =
  | 'help'
  | 'dept'
  | 'role'
  | 'template'
  | 'inspect'
  | 'findings'
  | 'status'
  | 'finding'
  | 'my'
  | 'overdue'
  | 'remind'
  | 'eval';

export type ParseResult =
  | { ok: true; command: Command }
  /** Known command, wrong arguments: show its usage. */
  | { ok: false; kind: 'usage'; topic: CommandName; detail?: 'unknownRole'; value?: string }
  /** Unknown word: suggest the nearest command. */
  | { ok: false; kind: 'unknown'; input: string; suggestion: CommandName };

const ALIASES: Record<CommandName, string[]> = {
  help: ['help', 'h', '?', '？', '帮助', '说明'],
  dept: ['dept', 'department', 'departments', '部门'],
  role: ['role', 'roles', '角色'],
  template: ['template', 'templates', 'tpl', '模板'],
  inspect: ['inspect', 'inspection', '检查', '督导', '巡检'],
  findings: ['findings', 'finding-list', 'problems', '问题', '问题清单'],
  status: ['status', 'stats', '状态', '统计'],
  finding: ['finding', 'issue', '问题详情', '详情'],
  my: ['my', 'mine', 'me', '我的'],
  overdue: ['overdue', 'late', '逾期', '超期'],
  remind: ['remind', 'reminders', '提醒'],
  eval: ['eval', 'evaluation', 'evaluations', '考核', '绩效'],
};
const NOW = ['now', '立即', '现在'];
const EVAL_SUBS: Record<EvalCommand['sub'], string[]> = {
  open: ['open', 'start', '开启', '发起'],
  status: ['status', '状态'],
  close: ['close', '关闭', '结束'],
  mine: ['mine', 'my', '我的'],
  peers: ['peers', 'peer', '同事', '互评'],
  'customer-facing': ['customer-facing', 'facing', '客户岗位'],
  customer: ['customer', '客户'],
  result: ['result', 'results', '结果'],
  score: ['score', 'finalize', '评分', '打分'],
  link: ['link', 'customer-link', '链接', '客户链接'],
  summary: ['summary', 'report', '汇总', '总结'],
  export: ['export', 'download', '导出', '下载'],
};
const EXPORT_FORMAT_WORDS: Record<'csv' | 'xlsx', string[]> = { csv: ['csv'], xlsx: ['xlsx', 'excel', 'xls'] };
const MONTHLY = ['monthly', 'month', '月度', '月'];
const ANNUAL = ['annual', 'yearly', 'year', '年度', '年'];
const DEADLINE = ['deadline', 'due', '截止'];
const YES = ['yes', 'y', 'on', '是'];
const NO = ['no', 'n', 'off', '否'];
const ADD = ['add', 'create', 'new', '添加', '新建', '新增'];
const LIST = ['list', 'ls', '列表', '查看'];
const MANAGER = ['manager', 'mgr', '经理'];
const DEPT = ['dept', 'department', '部门'];
const OPEN = ['open', '待整改', '未关闭', '未整改'];
const ALL = ['all', '全部', '所有'];
const ROLE_WORDS: Record<Role, string[]> = {
  admin: ['admin', '管理员'],
  supervisor: ['supervisor', '督导员', '督导'],
  manager: ['manager', '经理', '部门经理'],
  member: ['member', 'staff', '员工', '成员'],
  hr: ['hr', '人事', '人力资源'],
};

const MENTION = /^<@([A-Za-z0-9_-]+)(?:\|[^>]*)?>$/;

export function mentionId(token: string): string | null {
  return MENTION.exec(token)?.[1] ?? null;
}

/** Splits on spaces, keeping "quoted names" and 「中文引号」 together. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
  return out.filter((s) => s.length > 0);
}

const is = (word: string | undefined, list: string[]) => word !== undefined && list.includes(word.toLowerCase());

export function commandNameOf(word: string): CommandName | null {
  const w = word.toLowerCase();
  for (const [name, aliases] of Object.entries(ALIASES) as Array<[CommandName, string[]]>)
    if (aliases.includes(w)) return name;
  return null;
}

export function roleOf(word: string): Role | null {
  const w = word.toLowerCase();
  for (const [role, words] of Object.entries(ROLE_WORDS) as Array<[Role, string[]]>) if (words.includes(w)) return role;
  return null;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function nearestCommand(word: string): CommandName {
  let best: CommandName = 'help';
  let bestScore = Infinity;
  const w = word.toLowerCase();
  for (const [name, aliases] of Object.entries(ALIASES) as Array<[CommandName, string[]]>) {
    for (const alias of aliases) {
      const d = levenshtein(w, alias) / Math.max(alias.length, 1) + (alias.startsWith(w.slice(0, 1)) ? 0 : 0.01);
      if (d < bestScore) {
        bestScore = d;
        best = name;
      }
    }
  }
  return bestScore <= 0.6 ? best : 'help';
}

export function parseCommand(text: string): ParseResult {
  const tokens = tokenize(text.trim().replace(/^\/dudao\b/i, ''));
  const [head, ...rest] = tokens;
  if (!head) return { ok: true, command: { name: 'help' } };
  const name = commandNameOf(head);
  if (!name) return { ok: false, kind: 'unknown', input: head, suggestion: nearestCommand(head) };
  const usage = (detail?: 'unknownRole', value?: string): ParseResult => ({
    ok: false,
    kind: 'usage',
    topic: name,
    detail,
    value,
  });

  switch (name) {
    case 'help': {
      const topic = rest[0] ? commandNameOf(rest[0]) : null;
      return { ok: true, command: topic ? { name: 'help', topic } : { name: 'help' } };
    }
    case 'dept': {
      const command = parseDept(rest);
      return command ? { ok: true, command } : usage();
    }
    case 'role': {
      const [who, roleWord, kw, ...deptTokens] = rest;
      const mention = who ? mentionId(who) : null;
      if (!mention || !roleWord) return usage();
      const role = roleOf(roleWord);
      if (!role) return usage('unknownRole', roleWord);
      if (kw === undefined) return { ok: true, command: { name: 'role', mention, role } };
      if (!is(kw, DEPT) || deptTokens.length === 0) return usage();
      return { ok: true, command: { name: 'role', mention, role, deptName: deptTokens.join(' ') } };
    }
    case 'template':
      return rest.length === 0 || (rest.length === 1 && is(rest[0], LIST))
        ? { ok: true, command: { name: 'template.list' } }
        : usage();
    case 'inspect': {
      const deptName = rest.join(' ').trim();
      return deptName ? { ok: true, command: { name: 'inspect', deptName } } : usage();
    }
    case 'findings':
      return { ok: true, command: parseFindings(rest) };
    case 'status': {
      const deptName = rest.join(' ').trim();
      return { ok: true, command: { name: 'status', ...(deptName ? { deptName } : {}) } };
    }
    case 'finding': {
      const m = rest.length === 1 ? /^#?(\d{1,9})$/.exec(rest[0]!) : null;
      return m ? { ok: true, command: { name: 'finding', id: Number(m[1]) } } : usage();
    }
    case 'my':
      return rest.length === 0 ? { ok: true, command: { name: 'my' } } : usage();
    case 'overdue': {
      const deptName = rest.join(' ').trim();
      return { ok: true, command: { name: 'overdue', ...(deptName ? { deptName } : {}) } };
    }
    case 'remind':
      return rest.length === 1 && is(rest[0], NOW) ? { ok: true, command: { name: 'remind' } } : usage();
    case 'eval': {
      const e = parseEval(rest);
      return e ? { ok: true, command: { name: 'eval', eval: e } } : usage();
    }
  }
}

/** `dept [list]` or `dept add <name> [manager @who]`; null when the words fit neither. */
function parseDept(rest: string[]): Command | null {
  const [sub, ...args] = rest;
  if (sub === undefined || is(sub, LIST)) return args.length === 0 ? { name: 'dept.list' } : null;
  if (!is(sub, ADD)) return null;
  const mIdx = args.findIndex((a) => is(a, MANAGER));
  const nameTokens = mIdx === -1 ? args : args.slice(0, mIdx);
  const deptName = nameTokens.join(' ').trim();
  if (!deptName || nameTokens.some((t) => mentionId(t))) return null;
  if (mIdx === -1) return { name: 'dept.add', deptName };
  const after = args.slice(mIdx + 1);
  const managerMention = after.length === 1 ? mentionId(after[0]!) : null;
  return managerMention ? { name: 'dept.add', deptName, managerMention } : null;
}

/** `findings [department] [open|all]`: open ones unless the last word asks for all. */
function parseFindings(rest: string[]): Command {
  const args = [...rest];
  let filter: 'open' | 'all' = 'open';
  const last = args[args.length - 1];
  if (is(last, OPEN)) args.pop();
  else if (is(last, ALL)) {
    filter = 'all';
    args.pop();
  }
  const deptName = args.join(' ').trim();
  return { name: 'findings', filter, ...(deptName ? { deptName } : {}) };
}

/** A mention and a cycle name, at most one of each, in either order; null when anything else is there. */
function mentionAndCycle(args: string[]): { mention?: string; cycle?: string } | null {
  let mention: string | undefined;
  let cycle: string | undefined;
  for (const a of args) {
    const m = mentionId(a);
    if (m && !mention) mention = m;
    else if (!m && !cycle) cycle = a;
    else return null;
  }
  return { mention, cycle };
}

function parseEval(rest: string[]): EvalCommand | null {
  const [subWord, ...args] = rest;
  const sub =
    subWord === undefined
      ? 'mine'
      : (Object.entries(EVAL_SUBS) as Array<[EvalCommand['sub'], string[]]>).find(([, words]) =>
          is(subWord, words),
        )?.[0];
  const one = (): string | undefined => (args.length === 0 ? undefined : args.length === 1 ? args[0] : undefined);
  switch (sub) {
    case undefined:
      return null;
    case 'open':
      return parseEvalOpen(args);
    case 'status':
    case 'close': {
      if (args.length > 1) return null;
      const cycle = one();
      return { sub, ...(cycle ? { cycle } : {}) };
    }
    case 'mine':
      return args.length === 0 ? { sub: 'mine' } : null;
    case 'peers': {
      // Without mentions: the picker form (nominations.ts).
      const mentions = args.map(mentionId);
      return mentions.every((m): m is string => m !== null) ? { sub: 'peers', mentions } : null;
    }
    case 'customer-facing': {
      const mention = args[0] ? mentionId(args[0]) : null;
      const v = args[1];
      if (!mention || args.length !== 2 || !(is(v, YES) || is(v, NO))) return null;
      return { sub: 'customer-facing', mention, value: is(v, YES) };
    }
    case 'customer': {
      const mention = args.length === 1 ? mentionId(args[0]!) : null;
      return mention ? { sub: 'customer', mention } : null;
    }
    case 'link': {
      const mention = args[0] ? mentionId(args[0]) : null;
      const customer = args.slice(1).join(' ').trim();
      return mention && customer ? { sub: 'link', mention, customer } : null;
    }
    case 'summary': {
      if (args.length > 1) return null;
      const cycle = one();
      return { sub: 'summary', ...(cycle ? { cycle } : {}) };
    }
    case 'export':
      return parseEvalExport(args);
    case 'score': {
      // `eval score @member [cycle]`, the two in either order.
      const found = mentionAndCycle(args);
      if (!found?.mention) return null;
      const { mention, cycle } = found;
      return { sub: 'score', mention, ...(cycle ? { cycle } : {}) };
    }
    case 'result': {
      const found = mentionAndCycle(args);
      if (!found) return null;
      const { mention, cycle } = found;
      return { sub: 'result', ...(mention ? { mention } : {}), ...(cycle ? { cycle } : {}) };
    }
  }
}

/** `eval open monthly|annual [period] [dept <name>…]… [deadline yyyy-mm-dd]`. */
function parseEvalOpen(args: string[]): EvalCommand | null {
  const [kindWord, ...more] = args;
  const kind = is(kindWord, MONTHLY) ? 'monthly' : is(kindWord, ANNUAL) ? 'annual' : null;
  if (!kind) return null;
  // An explicit period right after the kind (`2026-11`, `2026`); lifecycle.ts checks it against the kind.
  const period = more[0] !== undefined && /^\d[\d./-]*$/.test(more[0]) ? more.shift() : undefined;
  const deptNames: string[] = [];
  let deadline: string | undefined;
  for (let i = 0; i < more.length; i++) {
    const w = more[i]!;
    if (is(w, DEPT)) {
      let j = i + 1;
      for (; j < more.length && !is(more[j], DEPT) && !is(more[j], DEADLINE); j++) deptNames.push(more[j]!);
      if (j === i + 1) return null;
      i = j - 1;
    } else if (is(w, DEADLINE)) {
      const d = more[i + 1];
      if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d) || deadline) return null;
      deadline = d;
      i++;
    } else return null;
  }
  return { sub: 'open', kind, deptNames, ...(period ? { period } : {}), ...(deadline ? { deadline } : {}) };
}

/** `eval export [cycle] [csv|xlsx]`, the two in either order. */
function parseEvalExport(args: string[]): EvalCommand | null {
  let cycle: string | undefined;
  let format: 'csv' | 'xlsx' | undefined;
  for (const a of args) {
    const f = is(a, EXPORT_FORMAT_WORDS.csv) ? 'csv' : is(a, EXPORT_FORMAT_WORDS.xlsx) ? 'xlsx' : undefined;
    if (f && !format) format = f;
    else if (!f && !cycle) cycle = a;
    else return null;
  }
  return { sub: 'export', ...(cycle ? { cycle } : {}), ...(format ? { format } : {}) };
}
