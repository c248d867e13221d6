// Findings through Slack as people handle them: an inspection run with the real modals, the finding cards
// the fake received in each person's DM, their buttons clicked as signed block_actions, and the step modals
// submitted back.
import { expect } from 'vitest';
import type { FakeSlackCall } from './fake-slack.js';
import type { SlackBot } from './slack-bot.js';
import { blockActions, type ModalLike, type PostResult } from './slack-requests.js';

export interface SlackFailure {
  /** Item prefix on the first checklist page, e.g. 'd0i0'. */
  item: string;
  desc: string;
  sev?: 'low' | 'medium' | 'high' | 'critical';
  /** Member id of the responsible person (default: the department's manager). */
  owner?: number;
}

/** Every score on a checklist page at its best (pass or 5), with the given failures. */
export function checklistAnswers(view: ModalLike, failures: SlackFailure[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  const scoreOptions = new Map<string, string[]>();
  for (const b of view.blocks ?? []) {
    if (b.type !== 'input' || !String(b.block_id).endsWith('_score')) continue;
    const options = (b.element.options as Array<{ value: string }>).map((o) => o.value);
    scoreOptions.set(b.block_id, options);
    values[b.block_id] = options.includes('pass') ? 'pass' : '5';
  }
  for (const f of failures) {
    const options = scoreOptions.get(`${f.item}_score`);
    if (!options) throw new Error(`${f.item} is not on this page`);
    values[`${f.item}_score`] = options.includes('fail') ? 'fail' : '1';
    values[`${f.item}_note`] = 'seen on site';
    values[`${f.item}_desc`] = f.desc;
    values[`${f.item}_sev`] = f.sev ?? 'high';
    if (f.owner !== undefined) values[`${f.item}_owner`] = String(f.owner);
  }
  return values;
}

/** `/dudao inspect <dept>` through every modal page, failing items of the first page; then the outbox is sent. */
export async function inspectViaSlack(
  bot: SlackBot,
  supervisor: string,
  dept: string,
  failures: SlackFailure[],
): Promise<void> {
  const r = await bot.command(supervisor, `inspect ${dept}`);
  expect(r.status).toBe(200);
  let view = bot.fake.callsTo('views.open').find((c) => c.body.trigger_id === r.triggerId)?.body.view as
    | ModalLike
    | undefined;
  if (!view) throw new Error(`inspect ${dept} opened no modal: ${JSON.stringify(r.responses.map((x) => x.body))}`);
  for (let page = 0; ; page++) {
    const res = await bot.submit(supervisor, view, checklistAnswers(view, page === 0 ? failures : []));
    expect(res.json?.response_action).toBe('update');
    const next = res.json.view as ModalLike;
    if (!next.private_metadata) break;
    view = next;
  }
  await bot.settle();
}

const dm = (userId: string) => `D${userId}`;

export interface SlackButton {
  action_id: string;
  value: string;
  text: { text: string };
}

/** The buttons of a posted or updated message (its body), in order. */
export function buttonsOf(body: Record<string, any>): SlackButton[] {
  return ((body.blocks ?? []) as Array<Record<string, any>>)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as SlackButton[]);
}

/** Whether a posted or updated message is the card of this finding (its header names it; it has History). */
function isCardOf(body: Record<string, any>, findingId: number): boolean {
  const header = ((body.blocks ?? []) as Array<Record<string, any>>).find((b) => b.type === 'header');
  return (
    !!header &&
    new RegExp(`#${findingId}\\b`).test(String(header.text?.text)) &&
    buttonsOf(body).some((b) => /^finding\.history:\d+$/.test(b.action_id) && b.value === String(findingId))
  );
}

/** Every accepted post or update of this finding's card in the user's DM, oldest first. */
export function cardVersions(bot: SlackBot, userId: string, findingId: number): FakeSlackCall[] {
  return bot.fake.calls.filter(
    (c) =>
      (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
      c.answer?.status === 200 &&
      c.answer.body.ok === true &&
      c.channel === dm(userId) &&
      isCardOf(c.body, findingId),
  );
}

/** The card as the user sees it now (the latest version in their DM). */
export function currentCard(bot: SlackBot, userId: string, findingId: number): FakeSlackCall {
  const versions = cardVersions(bot, userId, findingId);
  if (versions.length === 0) throw new Error(`no card of finding #${findingId} in ${dm(userId)}`);
  return versions.at(-1)!;
}

/** The button of a step on a message (action_id "finding.<step>:<n>"). */
export function buttonFor(call: FakeSlackCall, step: string): SlackButton {
  const found = buttonsOf(call.body).find((b) => new RegExp(`^finding\\.${step}:\\d+$`).test(b.action_id));
  if (!found) throw new Error(`no ${step} button on ${JSON.stringify(buttonsOf(call.body).map((b) => b.action_id))}`);
  return found;
}

export const buttonLabels = (call: FakeSlackCall) => buttonsOf(call.body).map((b) => b.text.text);

export interface ClickResult extends PostResult {
  triggerId: string;
  /** Posts to the click's response_url (ephemeral answers). */
  responses: FakeSlackCall[];
  /** The modal views.open received for this click's trigger_id, if any. */
  modal?: ModalLike;
}

let clicks = 0;

/** Clicks a button as Slack reports it: a signed block_actions with its action_id and value and a fresh trigger_id. */
export async function clickButton(
  bot: SlackBot,
  userId: string,
  button: Pick<SlackButton, 'action_id' | 'value'>,
  channelId = dm(userId),
): Promise<ClickResult> {
  const n = ++clicks;
  const triggerId = `trig.click.${process.pid}.${n}.${Date.now().toString(36)}`;
  const responseId = `click${process.pid}x${n}`;
  const res = await bot.slack.send(
    blockActions({
      userId,
      actionId: button.action_id,
      value: button.value,
      channelId,
      responseUrl: bot.fake.responseUrl(responseId),
      triggerId,
    }),
  );
  await bot.idle();
  const opened = bot.fake.callsTo('views.open').filter((c) => c.body.trigger_id === triggerId);
  return {
    ...res,
    triggerId,
    responses: bot.fake.responses(responseId),
    modal: opened[0]?.body.view as ModalLike | undefined,
  };
}

/** Clicks the step's button on the user's current card and returns the modal it opened. */
export async function openStep(bot: SlackBot, userId: string, findingId: number, step: string): Promise<ModalLike> {
  const click = await clickButton(bot, userId, buttonFor(currentCard(bot, userId, findingId), step));
  expect(click.status).toBe(200);
  if (!click.modal)
    throw new Error(`${step} opened no modal; answered ${JSON.stringify(click.responses.map((r) => r.body.text))}`);
  expect(click.responses).toEqual([]);
  return click.modal;
}
