// The SDKs log with console-style arguments; this turns them into one line for dudao's structured log
// (where pino's redaction applies), with errors as their message rather than their whole request.
function show(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

// The Lark SDK hands its logger the arguments as one array.
export const sdkLogLine = (parts: unknown[]) => parts.flat().map(show).join(' ');
