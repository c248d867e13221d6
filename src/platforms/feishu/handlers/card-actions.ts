// card.action.trigger: card clicks are answered synchronously, in the callback's response: a toast, the
// next page, or the card kept as filled.
import { randomUUID } from 'node:crypto';
import { t } from '../../../core/i18n/t.js';
import type { ActorRef } from '../../../core/ports.js';
import { describeUnexpected } from '../../../core/shared/errors.js';
import type { FormOutcome, Tone } from '../../../core/views/types.js';
import {
  type CardAction,
  errorDigest,
  fitFormCard,
  readCardAction,
  renderCard,
  renderFormCard,
  type ToastType,
  toast,
} from '../render.js';
import type { HandlerContext } from './context.js';

export interface CardActionEvent {
  event_id?: string;
  token?: string;
  operator?: { open_id?: string };
  action?: unknown;
  context?: { open_chat_id?: string };
}

const toastType = (tone: Tone | undefined): ToastType =>
  tone === 'success' ? 'success' : tone === 'warning' || tone === 'danger' ? 'error' : 'info';

export async function onCardAction(ctx: HandlerContext, data: CardActionEvent) {
  const openId = data.operator?.open_id;
  if (!openId) return toast('error', t('zh-CN', 'inspect.err.expired', { dept: '…' }));
  const actor: ActorRef = { platform: 'feishu', userId: openId };
  // The core reads the member itself; the locale is looked up only for an answer the adapter gives.
  try {
    const action = readCardAction(data);
    if (!action) return toast('error', t(await ctx.localeOf(actor), 'inspect.err.expired', { dept: '…' }));
    if (action.kind === 'button') return await onButton(ctx, data, actor, action);
    const outcome = await ctx.core.submitForm({
      actor,
      formType: action.formType,
      formId: action.formId,
      page: action.page,
      values: action.values,
      now: ctx.clock.now(),
    });
    // What the core leaves for after the answer (a checklist's details and messages) runs once it is sent.
    if (outcome.kind === 'done' && outcome.afterAnswer) ctx.background(outcome.afterAnswer);
    return formAnswer(outcome);
  } catch (e) {
    return toast('error', describeUnexpected(e, await ctx.localeOf(actor), ctx.logger, 'feishu-card'));
  } finally {
    ctx.afterChange();
  }
}

async function onButton(
  ctx: HandlerContext,
  data: CardActionEvent,
  actor: ActorRef,
  action: Extract<CardAction, { kind: 'button' }>,
) {
  const reply = await ctx.core.action({
    actor,
    actionId: action.actionId,
    value: action.value,
    channelId: data.context?.open_chat_id ?? '',
    now: ctx.clock.now(),
  });
  if (reply.kind === 'form') return { card: { type: 'raw', data: renderFormCard(reply.form) } };
  // A one-line answer (a refusal) is a toast; a whole message (a finding and its history, help) goes
  // to the person as a card of its own, as Slack answers with an ephemeral message, and the clicked
  // card stays as it is.
  const m = reply.message;
  if (m.blocks.length <= 1 && m.blocks.every((b) => b.kind === 'text')) return toast(toastType(m.tone), m.text);
  const requestId = data.event_id ?? data.token ?? randomUUID();
  const openId = actor.userId;
  ctx.background(async () => {
    await ctx.answer(openId, requestId, reply, 'feishu-card', (uuid) => ctx.sendToUser(openId, reply, uuid));
  });
  return {};
}

function formAnswer(outcome: FormOutcome) {
  switch (outcome.kind) {
    case 'errors': {
      // Long answers can push the refilled card past 30 KB; then the card stays as the user typed it.
      const card = fitFormCard(outcome.form);
      if (!card) return toast('error', errorDigest(outcome.summary, outcome.form));
      return { ...toast('error', outcome.summary), card: { type: 'raw', data: card } };
    }
    case 'next':
      return { card: { type: 'raw', data: renderFormCard(outcome.form) } };
    case 'done':
      return {
        ...toast('success', outcome.message.text),
        card: { type: 'raw', data: renderCard(outcome.message) },
      };
    case 'refused':
      return toast('error', outcome.message);
  }
}
