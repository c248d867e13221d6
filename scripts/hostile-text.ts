// Prints how typed text is rendered on each platform, as a Markdown table for docs/operations.md:
// `npx tsx scripts/hostile-text.ts`. Each input is a department name in a translated line (as in a summary).
import { t } from '../src/core/i18n/t.js';
import { mentionOf } from '../src/core/views/text.js';
import { larkMarkdown } from '../src/platforms/feishu/render.js';
import { toMrkdwn } from '../src/platforms/slack/render.js';

const CASES = [
  '<!channel> <!here>',
  '<@U123>',
  '<https://evil.example|invoice>',
  '[invoice](https://evil.example/pay)',
  '<at id=all></at>',
  '**urgent** _now_ ~~paid~~ `x`',
  'A&B <门店>',
  '&lt;@U1&gt;',
  '\uE000<!channel>\uE001 (private-use marks)',
];

const cell = (s: string) => `\`${s.replace(/\|/g, '\\|').replace(/`/g, 'ˋ')}\``;
const rows = CASES.map((typed) => {
  const line = t('en', 'notice.reassign', { actor: typed, owner: mentionOf('U0OWNER'), id: 7 });
  const feishuLine = t('en', 'notice.reassign', { actor: typed, owner: mentionOf('ou_owner'), id: 7 });
  return `| ${cell(typed)} | ${cell(toMrkdwn(line))} | ${cell(larkMarkdown(feishuLine))} |`;
});
process.stdout.write(
  `${[
    '| typed (as `{actor}` in “{actor} made {owner} the owner of finding #7.”) | Slack mrkdwn sent | Feishu markdown sent |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n')}\n`,
);
