// Settings come from the environment only and are checked once at start. A bad setup fails with one
// message that lists every problem, what the variable is for, and which mode needs it.
import { readFileSync } from 'node:fs';
import { validate as validCron } from 'node-cron';
import { z } from 'zod';
import { isValidTimeZone } from '../core/org/service.js';
import type { Locale } from '../core/ports.js';
import { DEFAULT_REMINDER_RULES, parseReminderRules, type ReminderRules } from '../core/reminders/rules.js';
import { ValidationError } from '../core/shared/validation.js';
import { formatFromContent } from '../core/templates/service.js';
import type { FeishuAdapterConfig } from '../platforms/feishu/adapter.js';
import type { SlackAdapterConfig } from '../platforms/slack/adapter.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  databaseUrl: string;
  admins: string[];
  logLevel: LogLevel;
  defaultLocale: Locale;
  defaultTimeZone: string;
  slack?: SlackAdapterConfig;
  feishu?: FeishuAdapterConfig;
  /** Working calendar, hours and reminder rules (DUDAO_REMINDER_RULES, or the defaults). */
  reminderRules: ReminderRules;
  /** When reminder sweeps run (node-cron expression); empty = no scheduled sweeps. */
  reminderCron: string;
  /** The bot's public base URL (DUDAO_PUBLIC_URL, no trailing slash), for links such as customer evaluations. */
  publicUrl?: string;
  /** Things that work but are probably not what the operator meant. */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `dudao cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
    this.name = 'ConfigError';
  }
}

/** What each variable is for, quoted in error messages. */
export const VARIABLES = {
  PORT: 'HTTP port for /slack/events, /feishu/events and /healthz (default 3000)',
  DATABASE_URL: 'file:./data/dudao.db (SQLite, default) or postgres://user@host:5432/db',
  DUDAO_ADMINS: 'comma-separated Slack user ids and Feishu open_ids who are admins from the start',
  DUDAO_DEFAULT_LOCALE:
    'zh-CN or en, for members whose profile does not say and new members of org import (default zh-CN)',
  DUDAO_DEFAULT_TIMEZONE:
    'IANA zone for members whose profile does not say and new members of org import (default Asia/Shanghai)',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')} (default info)`,
  DUDAO_REMINDER_RULES:
    'path of a YAML or JSON reminder-rules file (calendar, working hours, reminder and escalation days); default rules when unset',
  DUDAO_REMINDER_CRON:
    'when reminder sweeps run, as a cron expression (default every 5 minutes: */5 * * * *; "off" disables them)',
  DUDAO_PUBLIC_URL:
    "the bot's public base URL, e.g. https://dudao.example.com; needed for customer evaluation links (/eval/c/…)",
  SLACK_BOT_TOKEN: 'Slack bot token (xoxb-…), from "OAuth & Permissions"; turns the Slack adapter on',
  SLACK_SIGNING_SECRET: 'Slack signing secret, from "Basic Information"; needed in HTTP mode',
  SLACK_APP_TOKEN: 'Slack app-level token (xapp-…) with connections:write; turns on Socket Mode',
  SLACK_API_URL: 'Slack Web API base URL (default https://slack.com/api/; GovSlack or tests)',
  FEISHU_APP_ID: 'Feishu/Lark app id (cli_…); turns the Feishu adapter on',
  FEISHU_APP_SECRET: 'Feishu/Lark app secret',
  FEISHU_VERIFICATION_TOKEN: 'Feishu verification token ("Events & Callbacks" → "Encryption"); needed in webhook mode',
  FEISHU_ENCRYPT_KEY: 'Feishu Encrypt Key (same page); needed in webhook mode so requests are encrypted and signed',
  FEISHU_DOMAIN: 'feishu (default), lark, or a base URL such as http://127.0.0.1:4100',
  FEISHU_MODE: 'webhook (default: POST /feishu/events) or ws (long connection, no public URL)',
} as const;
type VarName = keyof typeof VARIABLES;

const blankToUndefined = (v: unknown) =>
  typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v;
const opt = () => z.preprocess(blankToUndefined, z.string().optional());

const schema = z.object({
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^(file:|postgres:\/\/|postgresql:\/\/)/, 'must start with file: (SQLite) or postgres:// (PostgreSQL)')
      .default('file:./data/dudao.db'),
  ),
  DUDAO_ADMINS: opt(),
  DUDAO_DEFAULT_LOCALE: z.preprocess(blankToUndefined, z.enum(['zh-CN', 'en']).default('zh-CN')),
  DUDAO_DEFAULT_TIMEZONE: z.preprocess(
    blankToUndefined,
    z.string().refine(isValidTimeZone, 'is not an IANA time zone').default('Asia/Shanghai'),
  ),
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(LOG_LEVELS).default('info')),
  DUDAO_REMINDER_RULES: opt(),
  DUDAO_REMINDER_CRON: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((c) => c === 'off' || validCron(c), 'is not a cron expression')
      .default('*/5 * * * *'),
  ),
  DUDAO_PUBLIC_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(
        (u) => /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(u),
        'must be an http(s) base URL without query or fragment, e.g. https://dudao.example.com',
      )
      .optional(),
  ),
  SLACK_BOT_TOKEN: opt(),
  SLACK_SIGNING_SECRET: opt(),
  SLACK_APP_TOKEN: opt(),
  SLACK_API_URL: z.preprocess(blankToUndefined, z.string().url('must be a URL').optional()),
  FEISHU_APP_ID: opt(),
  FEISHU_APP_SECRET: opt(),
  FEISHU_VERIFICATION_TOKEN: opt(),
  FEISHU_ENCRYPT_KEY: opt(),
  FEISHU_DOMAIN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(
        (d) => d === 'feishu' || d === 'lark' || /^https?:\/\/[^\s]+$/.test(d),
        'must be feishu, lark, or a base URL',
      )
      .default('feishu'),
  ),
  FEISHU_MODE: z.preprocess(blankToUndefined, z.enum(['webhook', 'ws']).default('webhook')),
});

type Parsed = z.infer<typeof schema>;

function lenient(env: Record<string, string | undefined>): Parsed {
  const v = (name: keyof Parsed) => (blankToUndefined(env[name]) as string | undefined) ?? undefined;
  return {
    ...schema.parse({}),
    SLACK_BOT_TOKEN: v('SLACK_BOT_TOKEN'),
    SLACK_SIGNING_SECRET: v('SLACK_SIGNING_SECRET'),
    SLACK_APP_TOKEN: v('SLACK_APP_TOKEN'),
    FEISHU_APP_ID: v('FEISHU_APP_ID'),
    FEISHU_APP_SECRET: v('FEISHU_APP_SECRET'),
    FEISHU_VERIFICATION_TOKEN: v('FEISHU_VERIFICATION_TOKEN'),
    FEISHU_ENCRYPT_KEY: v('FEISHU_ENCRYPT_KEY'),
    FEISHU_MODE: v('FEISHU_MODE') === 'ws' ? 'ws' : 'webhook',
    DUDAO_REMINDER_RULES: v('DUDAO_REMINDER_RULES'),
  };
}

const explain = (name: string, problem: string) =>
  `${name}: ${problem} (${VARIABLES[name as VarName] ?? 'unknown variable'})`;

/**
 * Where a person on both platforms gets their reminders: Slack when this process is set up for Slack, else
 * Feishu. The bot and `npx dudao sweep` read the same variables, so both choose alike.
 */
export function preferredPlatform(env: Record<string, string | undefined>): 'slack' | 'feishu' {
  return env.SLACK_BOT_TOKEN ? 'slack' : env.FEISHU_APP_ID ? 'feishu' : 'slack';
}

/** The locale and zone new members get (DUDAO_DEFAULT_LOCALE, DUDAO_DEFAULT_TIMEZONE), for `npx dudao org import`. */
export function memberDefaults(env: Record<string, string | undefined>): { locale: Locale; timeZone: string } {
  const parsed = schema.pick({ DUDAO_DEFAULT_LOCALE: true, DUDAO_DEFAULT_TIMEZONE: true }).safeParse(env);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => explain(String(i.path[0] ?? '?'), i.message)));
  return { locale: parsed.data.DUDAO_DEFAULT_LOCALE, timeZone: parsed.data.DUDAO_DEFAULT_TIMEZONE };
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => explain(String(i.path[0] ?? '?'), i.message));
  // Check the platform settings even when another value is malformed, so that one message lists everything.
  const e = parsed.success ? parsed.data : lenient(env);
  const warnings: string[] = [];
  const found: Findings = { problems, warnings };
  const slack = slackConfig(e, found);
  const feishu = feishuConfig(e, found);
  const reminderRules = reminderRulesOf(e, found);
  if (problems.length || !parsed.success) throw new ConfigError(problems);

  const admins = (e.DUDAO_ADMINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if ((slack || feishu) && admins.length === 0)
    warnings.push(
      'DUDAO_ADMINS is empty: nobody can add departments or assign roles until `npx dudao org import` names an admin',
    );

  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    admins,
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DUDAO_DEFAULT_LOCALE,
    defaultTimeZone: e.DUDAO_DEFAULT_TIMEZONE,
    slack,
    feishu,
    reminderRules,
    reminderCron: e.DUDAO_REMINDER_CRON === 'off' ? '' : e.DUDAO_REMINDER_CRON,
    publicUrl: e.DUDAO_PUBLIC_URL?.replace(/\/+$/, ''),
    warnings,
  };
}

/** What checking the settings found: problems refuse the start, warnings are logged. */
interface Findings {
  problems: string[];
  warnings: string[];
}

const need = ({ problems }: Findings, name: VarName, mode: string) =>
  problems.push(explain(name, `is required ${mode}`));

/** Slack's settings, when any is set; its mode follows from whether an app token is. */
function slackConfig(e: Parsed, found: Findings): SlackAdapterConfig | undefined {
  const slackAny = e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN;
  if (!slackAny) return undefined;
  const mode = e.SLACK_APP_TOKEN ? 'socket' : 'http';
  if (!e.SLACK_BOT_TOKEN) need(found, 'SLACK_BOT_TOKEN', 'for Slack');
  if (mode === 'http' && !e.SLACK_SIGNING_SECRET)
    need(found, 'SLACK_SIGNING_SECRET', 'for Slack in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  if (e.SLACK_APP_TOKEN && !e.SLACK_APP_TOKEN.startsWith('xapp-'))
    found.problems.push(explain('SLACK_APP_TOKEN', 'must start with xapp-'));
  if (e.SLACK_BOT_TOKEN && !e.SLACK_BOT_TOKEN.startsWith('xoxb-'))
    found.warnings.push('SLACK_BOT_TOKEN does not start with xoxb-; Slack bot tokens usually do');
  if (!e.SLACK_BOT_TOKEN) return undefined;
  return {
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    apiUrl: e.SLACK_API_URL,
    mode,
  };
}

/** Feishu's settings, when any is set; webhook mode needs what the long connection does not. */
function feishuConfig(e: Parsed, found: Findings): FeishuAdapterConfig | undefined {
  const feishuAny = e.FEISHU_APP_ID || e.FEISHU_APP_SECRET || e.FEISHU_VERIFICATION_TOKEN || e.FEISHU_ENCRYPT_KEY;
  if (!feishuAny) return undefined;
  const inMode = e.FEISHU_MODE === 'ws' ? 'for Feishu' : 'for Feishu in webhook mode (or set FEISHU_MODE=ws)';
  if (!e.FEISHU_APP_ID) need(found, 'FEISHU_APP_ID', 'for Feishu');
  if (!e.FEISHU_APP_SECRET) need(found, 'FEISHU_APP_SECRET', 'for Feishu');
  if (e.FEISHU_MODE === 'webhook') {
    if (!e.FEISHU_VERIFICATION_TOKEN) need(found, 'FEISHU_VERIFICATION_TOKEN', inMode);
    // Without an Encrypt Key Feishu neither encrypts nor signs, so anyone who learns the token can forge events.
    if (!e.FEISHU_ENCRYPT_KEY) need(found, 'FEISHU_ENCRYPT_KEY', inMode);
  }
  if (e.FEISHU_MODE === 'ws' && e.FEISHU_APP_ID && !/^cli_[0-9a-fA-F]{16}$/.test(e.FEISHU_APP_ID))
    found.problems.push(
      explain('FEISHU_APP_ID', 'must look like cli_ followed by 16 hex digits for the long connection'),
    );
  if (!e.FEISHU_APP_ID || !e.FEISHU_APP_SECRET) return undefined;
  return {
    appId: e.FEISHU_APP_ID,
    appSecret: e.FEISHU_APP_SECRET,
    verificationToken: e.FEISHU_VERIFICATION_TOKEN,
    encryptKey: e.FEISHU_ENCRYPT_KEY,
    domain: e.FEISHU_DOMAIN,
    mode: e.FEISHU_MODE,
  };
}

/** The reminder rules file (DUDAO_REMINDER_RULES), or the defaults without one. */
function reminderRulesOf(e: Parsed, found: Findings): ReminderRules {
  if (!e.DUDAO_REMINDER_RULES) return DEFAULT_REMINDER_RULES;
  try {
    const text = readFileSync(e.DUDAO_REMINDER_RULES, 'utf8');
    return parseReminderRules(text, formatFromContent(text));
  } catch (err) {
    if (err instanceof ValidationError)
      found.problems.push(
        ...err.problems.map((p) => explain('DUDAO_REMINDER_RULES', `${e.DUDAO_REMINDER_RULES}: ${p}`)),
      );
    else found.problems.push(explain('DUDAO_REMINDER_RULES', `cannot read ${e.DUDAO_REMINDER_RULES}`));
    return DEFAULT_REMINDER_RULES;
  }
}

/** Printed at start when no platform is configured. */
export function describeSetup(c: Config, port = c.port): string {
  return [
    `dudao is running on port ${port} with no chat platform configured; it answers GET /healthz only.`,
    'To connect Slack: create the app from manifests/slack.yaml, then set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET',
    '  (or SLACK_APP_TOKEN for Socket Mode).',
    'To connect Feishu/Lark: follow manifests/feishu.md, then set FEISHU_APP_ID, FEISHU_APP_SECRET,',
    '  FEISHU_VERIFICATION_TOKEN and FEISHU_ENCRYPT_KEY (or FEISHU_MODE=ws for the long connection).',
    'Every variable is described in .env.example.',
    '',
    `dudao 已在端口 ${port} 运行，但尚未配置聊天平台，目前只响应 GET /healthz。`,
    '接入 Slack：用 manifests/slack.yaml 创建应用，然后设置 SLACK_BOT_TOKEN 和 SLACK_SIGNING_SECRET',
    '  （或设置 SLACK_APP_TOKEN 使用 Socket Mode）。',
    '接入飞书/Lark：按 manifests/feishu.md 操作，然后设置 FEISHU_APP_ID、FEISHU_APP_SECRET、',
    '  FEISHU_VERIFICATION_TOKEN 和 FEISHU_ENCRYPT_KEY（或设置 FEISHU_MODE=ws 使用长连接）。',
    '所有变量的说明见 .env.example。',
  ].join('\n');
}
