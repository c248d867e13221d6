// GET and POST /eval/c/<token>: the customer's evaluation form, one self-contained HTML page (no scripts,
// no external assets), in Chinese or English from Accept-Language (zh-CN by default) or ?lang=.
// The page shows the member's name, the cycle and the criteria asked of customers: nothing anyone wrote.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CUSTOMER_COMMENT_MAX,
  type CustomerFormErrors,
  type CustomerFormValues,
  type CustomerLinkService,
  type OpenedLink,
  type RefusalReason,
} from '../core/evaluations/customer-link.js';
import type { CUSTOMER_FORM_WORDS } from '../core/i18n/messages-evaluation-reports.js';
import { normalizeLocale, pick, t } from '../core/i18n/t.js';
import type { Clock, Locale } from '../core/ports.js';
import { plainText } from '../core/views/text.js';
import type { Handler } from './server.js';

export const CUSTOMER_FORM_MAX_BYTES = 64 * 1024;
export const CUSTOMER_PATH_PREFIX = '/eval/c/';

type Word = keyof typeof CUSTOMER_FORM_WORDS;

// The page escapes HTML itself; a person's text needs no literal marks (core views/text.ts) here.
const word = (locale: Locale, k: Word, p: Record<string, string> = {}) => plainText(t(locale, `custform.${k}`, p));

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** ?lang= wins; then the first language in Accept-Language (by q) that is Chinese or English; then zh-CN. */
export function pageLocale(req: IncomingMessage, url: URL): Locale {
  const forced = normalizeLocale(url.searchParams.get('lang'));
  if (forced) return forced;
  const header = req.headers['accept-language'] ?? '';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((x) => /^\s*q=([\d.]+)\s*$/.exec(x)?.[1]).find(Boolean);
      return { tag: tag?.trim() ?? '', q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const x of ranked) {
    const l = normalizeLocale(x.tag);
    if (l) return l;
  }
  return 'zh-CN';
}

const STYLE = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}
h1{font-size:1.5rem}fieldset{border:1px solid #d0d7de;border-radius:6px;margin:0 0 1rem;padding:.75rem 1rem}legend{font-weight:600;padding:0 .25rem}
.scale label{display:inline-block;margin-right:1rem}textarea{width:100%;min-height:4rem;box-sizing:border-box;margin-top:.5rem}
.error{color:#cf222e;font-weight:600}.invalid{border-color:#cf222e}.note{color:#57606a;font-size:.9rem}.lang{float:right}
button{font-size:1rem;padding:.5rem 1.5rem}`;

function page(locale: Locale, title: string, body: string, switchHref?: string): string {
  const lang = locale === 'zh-CN' ? 'zh-CN' : 'en';
  const toggle = switchHref
    ? `<a class="lang" href="${escapeHtml(switchHref)}" hreflang="${locale === 'zh-CN' ? 'en' : 'zh-CN'}">${escapeHtml(word(locale, 'switchTo'))}</a>`
    : '';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${toggle}<h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

function send(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    // The token is in the address: keep it out of caches and Referer headers; no framing, no scripts.
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ...extra,
  });
  res.end(html);
}

const REFUSAL_STATUS: Record<RefusalReason, number> = {
  unknown: 404,
  expired: 410,
  used: 410,
  closed: 410,
  finished: 410,
  answered: 410,
};

function refusedPage(locale: Locale, reason: RefusalReason): string {
  return page(locale, word(locale, 'refusedTitle'), `<p>${escapeHtml(word(locale, `refused.${reason}`))}</p>`);
}

export function formPage(
  locale: Locale,
  link: Extract<OpenedLink, { ok: true }>,
  action: string,
  o: { errors?: CustomerFormErrors; values?: CustomerFormValues } = {},
): string {
  const errors = o.errors ?? {};
  const values = o.values ?? { scores: {}, comments: {} };
  const p = link.participant;
  const intro = word(locale, 'intro', {
    customer: link.invite.customerName,
    member: p.memberName,
    cycle: word(locale, 'cycle', { name: p.cycleName }),
  });
  const errorText = (field: string) => {
    const code = errors[field];
    return code
      ? `<p class="error" id="${escapeHtml(field)}-error">${escapeHtml(word(locale, `err.${code}`, { max: String(CUSTOMER_COMMENT_MAX) }))}</p>`
      : '';
  };
  const questions = link.criteria
    .map((c) => {
      const s = `score_${c.key}`;
      const cm = `comment_${c.key}`;
      const radios = [1, 2, 3, 4, 5]
        .map((n) => {
          const checked = values.scores[c.key] === String(n) ? ' checked' : '';
          return `<label><input type="radio" name="${escapeHtml(s)}" value="${n}" required${checked}${errors[s] ? ` aria-describedby="${escapeHtml(s)}-error"` : ''}> ${n}</label>`;
        })
        .join('');
      return `<fieldset${errors[s] || errors[cm] ? ' class="invalid"' : ''}><legend>${escapeHtml(pick(c.text, locale))}</legend>
${errorText(s)}<div class="scale">${radios}</div>
<label>${escapeHtml(word(locale, 'comment'))}<textarea name="${escapeHtml(cm)}" maxlength="${CUSTOMER_COMMENT_MAX}">${escapeHtml(values.comments[c.key] ?? '')}</textarea></label>${errorText(cm)}
</fieldset>`;
    })
    .join('\n');
  const summary = Object.keys(errors).length
    ? `<div role="alert"><p class="error">${escapeHtml(word(locale, 'errorsTitle'))}</p>${errors._form ? `<p class="error">${escapeHtml(word(locale, `err.${errors._form}`))}</p>` : ''}</div>`
    : '';
  const body = `<p>${escapeHtml(intro)}</p><p class="note">${escapeHtml(word(locale, 'scale'))}</p>
${summary}
<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8"><input type="hidden" name="lang" value="${locale}">
${questions}
<p class="note">${escapeHtml(word(locale, 'once'))}</p>
<button type="submit">${escapeHtml(word(locale, 'submit'))}</button>
</form>`;
  const other = locale === 'zh-CN' ? 'en' : 'zh-CN';
  return page(locale, word(locale, 'title'), body, `${action}?lang=${other}`);
}

class TooLarge extends Error {}

/** Reads at most `limit` bytes; past it answers 413 at once and drains the rest (closing after a while). */
function readForm(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new TooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => (over ? undefined : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export interface CustomerEvalDeps {
  links: CustomerLinkService;
  clock: Clock;
  maxBytes?: number;
}

export function createCustomerEvalHandler(deps: CustomerEvalDeps): Handler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = url.pathname.slice(CUSTOMER_PATH_PREFIX.length);
    const action = `${CUSTOMER_PATH_PREFIX}${encodeURIComponent(token)}`;
    let locale = pageLocale(req, url);
    if (req.method === 'GET' || req.method === 'HEAD') {
      const link = await deps.links.open(token, deps.clock.now());
      if (!link.ok) return send(res, REFUSAL_STATUS[link.reason], refusedPage(locale, link.reason));
      return send(res, 200, formPage(locale, link, action));
    }
    if (req.method !== 'POST')
      return send(res, 405, page(locale, word(locale, 'title'), `<p>${escapeHtml(word(locale, 'badRequest'))}</p>`), {
        allow: 'GET, POST',
      });

    let body: Buffer;
    try {
      body = await readForm(req, deps.maxBytes ?? CUSTOMER_FORM_MAX_BYTES);
    } catch (e) {
      if (!(e instanceof TooLarge)) throw e;
      send(res, 413, page(locale, word(locale, 'tooLargeTitle'), `<p>${escapeHtml(word(locale, 'tooLarge'))}</p>`), {
        connection: 'close',
      });
      // Let the client finish sending so that it reads the answer, but not forever.
      req.resume();
      setTimeout(() => req.destroy(), 5_000).unref();
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded')
      return send(res, 415, page(locale, word(locale, 'title'), `<p>${escapeHtml(word(locale, 'badRequest'))}</p>`));
    const fields = [...new URLSearchParams(body.toString('utf8'))];
    // The form carries the language it was shown in, so that its answer reads the same.
    const posted = normalizeLocale(fields.find(([k]) => k === 'lang')?.[1]);
    if (posted && !url.searchParams.has('lang')) locale = posted;

    const outcome = await deps.links.submit(token, fields, deps.clock.now());
    switch (outcome.kind) {
      case 'refused':
        return send(res, REFUSAL_STATUS[outcome.reason], refusedPage(locale, outcome.reason));
      case 'invalid':
        return send(
          res,
          422,
          formPage(locale, outcome.link, action, { errors: outcome.errors, values: outcome.values }),
        );
      case 'saved':
        return send(
          res,
          200,
          page(
            locale,
            word(locale, 'thanksTitle'),
            `<p>${escapeHtml(word(locale, 'thanks', { member: outcome.link.participant.memberName }))}</p>`,
          ),
        );
    }
  };
}
