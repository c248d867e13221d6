// Whatever a person types (a note, a department name, a display name, template text) is shown as text on
// both platforms: it never adds a mention, a link, a tag or emphasis to the message it appears in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/t.js';
import { type SummaryInfo, summaryMessage } from '../../src/core/inspections/views.js';
import type { Locale } from '../../src/core/ports.js';
import type { FindingRecord } from '../../src/core/rectification/types.js';
import { findingCard } from '../../src/core/rectification/views.js';
import { DEFAULT_TEMPLATE } from '../../src/core/templates/default-template.js';
import { lit, markup, mentionOf } from '../../src/core/views/text.js';
import type { MessageView } from '../../src/core/views/types.js';
import { larkMarkdown, renderCard } from '../../src/platforms/feishu/render.js';
import { renderMessage, toMrkdwn } from '../../src/platforms/slack/render.js';

const shown = (s: string) =>
  s
    .replace(/[\uE000-\uE003]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Pieces a hostile or careless person types, mixed with arbitrary text (ASCII and any Unicode). */
const HOSTILE = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123ABC>',
  '<#C0123ABC>',
  '<https://evil.example|invoice>',
  '[invoice](https://evil.example/pay)',
  '<at id=all></at>',
  '<at user_id="all">all</at>',
  "<font color='red'>",
  '<@ou_abc123>',
  '**bold**',
  '*x*',
  '_y_',
  '~~gone~~',
  '`code`',
  '&amp;',
  '&lt;@U1&gt;',
  '&#42;',
  '\\',
  '\uE000',
  '\uE001',
  '\uE002',
  '0\uE003',
  '<',
  '>',
  '&',
  ' ',
];
const hostileText = fc
  .array(
    fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 })),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''))
  // Forms and profiles store text trimmed (dudao's emphasis needs no space at its edges), also once the
  // private-use marks dudao drops are gone.
  .filter((s) => {
    const kept = s.replace(/[\uE000-\uE003]/g, '');
    return kept.trim().length > 0 && kept === kept.trim();
  });

/** Every string in a rendered payload, in order. */
function strings(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x)) return x.flatMap(strings);
  if (x && typeof x === 'object') return Object.values(x).flatMap(strings);
  return [];
}

/** The strings a platform reads as markup: not plain_text objects, nor Feishu's notification summary. */
function markupStrings(x: unknown): string[] {
  if (Array.isArray(x)) return x.flatMap(markupStrings);
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (o.type === 'plain_text' || o.tag === 'plain_text') return [];
    return Object.entries(o).flatMap(([k, v]) =>
      k === 'summary' ? [] : typeof v === 'string' ? (k === 'text' || k === 'content' ? [v] : []) : markupStrings(v),
    );
  }
  return [];
}

// ---- Slack: only <…> is markup that matters (mentions, special mentions, links) ----
const slackMarkup = (payload: unknown) => markupStrings(payload).flatMap((s) => s.match(/<[^>]*>/g) ?? []);
const slackText = (payload: unknown) =>
  strings(payload)
    .map((s) => s.replace(/&(lt|gt|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&' })[e]!))
    .join(' ')
    .replace(/\s+/g, ' ');

// ---- Feishu: tags, links, emphasis, strikethrough and code are markup ----
const feishuMarkup = (payload: unknown) =>
  markupStrings(payload).flatMap((s) => s.match(/<[^>]*>|\*+|~+|`|\[|\]|\\/g) ?? []);
const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&' };
const feishuText = (payload: unknown) =>
  strings(payload)
    .map((s) =>
      s.replace(/&(lt|gt|amp|#\d+);/g, (_, e: string) =>
        e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITY[e]!,
      ),
    )
    .join(' ')
    .replace(/\s+/g, ' ');

/**
 * A view built around `typed` renders the same markup as the same view built around a harmless word, and
 * still shows what was typed.
 */
function expectShownAsText(build: (typed: string) => MessageView, typed: string) {
  const plainSlack = renderMessage(build('plain'));
  const plainFeishu = renderCard(build('plain'));
  const slack = renderMessage(build(typed));
  const feishu = renderCard(build(typed));
  expect(slackMarkup(slack)).toEqual(slackMarkup(plainSlack));
  expect(feishuMarkup(feishu)).toEqual(feishuMarkup(plainFeishu));
  const visible = shown(typed);
  if (visible) {
    expect(slackText(slack)).toContain(visible);
    expect(feishuText(feishu)).toContain(visible);
  }
}

const NOW = new Date('2026-11-20T02:00:00Z');
const member = (id: number, displayName: string) => ({
  id,
  displayName,
  slackUserId: `U${id}`,
  feishuOpenId: `ou_${id}`,
  role: 'supervisor' as const,
  departmentId: 1,
  locale: 'en' as Locale,
  timeZone: 'Asia/Shanghai',
});

function summaryOf(typed: string, locale: Locale): MessageView {
  const tpl = structuredClone(DEFAULT_TEMPLATE);
  tpl.name = { 'zh-CN': `模板 ${typed}`, en: `Template ${typed}` };
  tpl.dimensions[0]!.name = { 'zh-CN': typed, en: typed };
  tpl.dimensions[0]!.items[0]!.text = { 'zh-CN': typed, en: typed };
  const info: SummaryInfo = {
    inspectionId: 7,
    dept: { id: 1, name: `Store ${typed}`, parentId: null, managerId: null },
    supervisor: member(2, typed),
    tpl,
    version: 1,
    at: NOW,
    findings: [
      {
        id: 11,
        dimensionKey: tpl.dimensions[0]!.key,
        itemKey: tpl.dimensions[0]!.items[0]!.key,
        description: typed,
        impact: typed,
        severity: 'high',
        responsibleMemberId: 3,
        evidenceUrls: [],
      },
    ],
    owners: [member(3, `${typed} Eve`)],
    scores: { overall: 81, dimensions: [{ dimensionKey: tpl.dimensions[0]!.key, score: 60 }] },
  };
  return summaryMessage(info, locale, 'Asia/Shanghai');
}

function cardOf(typed: string, locale: Locale): MessageView {
  const f: FindingRecord = {
    id: 11,
    inspectionId: 7,
    templateVersionId: 1,
    departmentId: 1,
    dimensionKey: 'process',
    itemKey: 'completeness',
    description: typed,
    impact: typed,
    severity: 'high',
    evidenceUrls: [],
    status: 'planned',
    responsibleMemberId: 3,
    ownerId: 4,
    createdById: 2,
    createdAt: NOW,
    closedAt: null,
    planMeasures: `Fix ${typed}`,
    planSupport: typed,
    planSubmittedAt: NOW,
    deadline: NOW,
    progressPercent: 0,
    acceptanceRequestedAt: null,
    rejectionCount: 0,
    reminderCount: 0,
    escalationCount: 0,
    nextReminderAt: null,
    version: 2,
  };
  return findingCard(f, {
    locale,
    timeZone: 'Asia/Shanghai',
    deptName: typed,
    dimension: typed,
    item: typed,
    names: new Map([
      [3, `${typed} Eve`],
      [4, typed],
    ]),
    actions: ['progress'],
    lead: t(locale, 'notice.reassign', { actor: typed, owner: typed, id: 11 }),
  });
}

describe('text a person typed is shown as text on Slack and Feishu', () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    it(`in the inspection summary (${locale})`, () => {
      fc.assert(
        fc.property(hostileText, (typed) => expectShownAsText((s) => summaryOf(s, locale), typed)),
        { numRuns: 300 },
      );
    });

    it(`in the finding card (${locale})`, () => {
      fc.assert(
        fc.property(hostileText, (typed) => expectShownAsText((s) => cardOf(s, locale), typed)),
        { numRuns: 300 },
      );
    });
  }

  it('in any translated message parameter, next to the markup dudao writes', () => {
    fc.assert(
      fc.property(hostileText, (typed) => {
        const build = (s: string): MessageView => {
          const text = `*${t('en', 'notice.reassign', { actor: s, owner: markup(`_${mentionOf('ou_owner').text}_`), id: 3 })}* ${lit(s)}`;
          return {
            text,
            blocks: [
              { kind: 'text', text },
              { kind: 'context', text },
              { kind: 'fields', fields: [{ label: lit(s), value: lit(s) }] },
            ],
          };
        };
        expectShownAsText(build, typed);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the markup dudao writes stays live', () => {
  it('keeps its own mentions and emphasis around a hostile name', () => {
    const text = `*${t('en', 'notice.reassign', { actor: '<!channel> *Eve*', owner: mentionOf('ou_abc'), id: 3 })}*`;
    const feishu = larkMarkdown(text);
    expect(feishu).toContain('<at id=ou_abc></at>');
    expect(feishu.startsWith('**')).toBe(true);
    expect(feishu).toContain('&lt;!channel&gt; &#42;Eve&#42;');
    const slack = toMrkdwn(
      t('en', 'notice.reassign', { actor: '<!channel> <@U999>', owner: mentionOf('U123ABC'), id: 3 }),
    );
    expect(slack).toContain('<@U123ABC>');
    expect(slack).toContain('&lt;!channel&gt; &lt;@U999&gt;');
    expect(slack).not.toContain('<!channel>');
  });

  it('shows the issue’s own examples as text', () => {
    const note = '<!channel> <!here> <@U123> <https://evil.example|invoice>';
    const slack = toMrkdwn(t('en', 'notice.reassign', { actor: note, owner: 'Eve', id: 1 }));
    expect(slack).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|invoice&gt;');
    const feishu = larkMarkdown(
      t('zh-CN', 'notice.reassign', { actor: '[invoice](https://evil.example/pay)', owner: 'Eve', id: 1 }),
    );
    expect(feishu).toContain('&#91;invoice&#93;(https://evil.example/pay)');
    expect(feishu).not.toContain('[invoice]');
  });

  it('leaves text without markup characters untouched in the core', () => {
    expect(t('zh-CN', 'notice.reassign', { actor: '张三', owner: '李四', id: 1 })).not.toMatch(/[\uE000-\uE003]/);
  });
});
