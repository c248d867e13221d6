// Structured JSON logs. Secrets never reach them: known secret-bearing paths are censored, and any string
// that looks like a Slack or Feishu credential is masked wherever it appears.
import { type Logger as PinoLogger, pino } from 'pino';

export type Logger = PinoLogger;

const REDACT_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'appSecret',
  'app_secret',
  'encryptKey',
  'verificationToken',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.appSecret',
  '*.app_secret',
  '*.encryptKey',
  '*.verificationToken',
  '*.authorization',
  '*.headers.authorization',
  'config.slack',
  'config.feishu',
  'databaseUrl',
  '*.databaseUrl',
];

/** Slack tokens (xoxb-, xapp-, xoxp-), Feishu tenant tokens (t-…), and passwords inside database URLs. */
const SECRET_PATTERNS: RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /\bt-[A-Za-z0-9_]{20,}/g,
  /(\/\/[^:/\s]+:)[^@/\s]+@/g,
];

export function maskSecrets(text: string): string {
  let out = text;
  for (const re of SECRET_PATTERNS)
    out = out.replace(re, (m, prefix?: string) =>
      typeof prefix === 'string' && m.startsWith('//') ? `${prefix}[redacted]@` : '[redacted]',
    );
  return out;
}

export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'dudao' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        // Error messages from SDKs sometimes quote the request, token included.
        streamWrite: (s) => maskSecrets(s),
      },
    },
    (destination ?? process.stdout) as pino.DestinationStream,
  );
}
