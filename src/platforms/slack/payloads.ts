// What a verified Slack body must look like before Bolt sees it. Bolt reads properties of the body while it
// routes it (body.ssl_check, body.user.id, body.actions[0], body.view.callback_id, event.user.id …) without
// checking their types, so `null` where it expects an object throws: in HTTP mode before anything answers
// (a 500, or, for a body that is `null` itself, a rejection nothing catches), and a body it cannot route
// at all waits 3 s for a 404. Each kind is classified here the way Bolt routes it (helpers.ts
// getTypeAndConversation), and the fields Bolt and dudao's listeners read are checked.
import { z } from 'zod';
import { FORM_CALLBACK_ID } from './render.js';

export const SLASH_COMMAND = '/dudao';

export type SlackBodyVerdict =
  | { ok: true; kind: 'command' | 'action' | 'view' | 'event' }
  /** A kind dudao has no listener for: answered at once (a command, an interaction) or acked (an event). */
  | { ok: false; reason: 'unhandled'; kind: string; retried: boolean }
  | { ok: false; reason: 'malformed'; kind: string; retried: boolean; problem: string };

const object = z.looseObject({});
const id = z.string().min(1);
/** `team` is null for org-wide installs; Bolt reads team.id then user.team_id. */
const team = z.looseObject({ id: z.string().optional(), enterprise_id: z.string().optional() }).nullable().optional();
const enterprise = z.looseObject({ id: z.string().optional() }).nullable().optional();
const responseUrls = z.array(z.looseObject({ response_url: z.string() })).optional();
const common = {
  team,
  enterprise,
  user: z.looseObject({ id, team_id: z.string().optional() }),
  response_url: z.string().optional(),
  response_urls: responseUrls,
};

const command = z.looseObject({
  command: z.string(),
  text: z.string().optional(),
  user_id: id,
  channel_id: z.string().optional(),
  trigger_id: id,
  response_url: z.string().optional(),
  team_id: z.string().optional(),
});

const blockActions = z.looseObject({
  ...common,
  type: z.literal('block_actions'),
  trigger_id: id,
  // Bolt reads channel.id when the key is there at all.
  channel: z.looseObject({ id: z.string().optional() }).optional(),
  actions: z
    .array(z.looseObject({ action_id: z.string(), block_id: z.string().optional(), value: z.string().optional() }))
    .min(1),
});

const viewSubmission = z.looseObject({
  ...common,
  type: z.literal('view_submission'),
  view: z.looseObject({
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    app_installed_team_id: z.string().optional(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), object)) }),
  }),
});

/** Bolt reads event.user(.id), event.channel(.creator), event.item.channel and authorizations[0] when present. */
const eventEnvelope = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string().optional(),
  team_id: z.string().optional(),
  authorizations: z.array(object).optional(),
  event: z.looseObject({
    type: z.string(),
    user: z.union([z.string(), z.looseObject({ id: z.string().optional() })]).optional(),
    channel: z.union([z.string(), object]).optional(),
    item: object.optional(),
    subteam: object.optional(),
    text: z.string().optional(),
    tab: z.string().optional(),
  }),
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function check(
  kind: 'command' | 'action' | 'view' | 'event',
  schema: z.ZodType,
  body: unknown,
  retried: boolean,
): SlackBodyVerdict {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, kind };
  const issue = r.error.issues[0];
  return {
    ok: false,
    reason: 'malformed',
    kind,
    retried,
    problem: issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}`.slice(0, 200) : 'invalid',
  };
}

/**
 * Whether Bolt may be given this body. `retried` marks the Events API, which Slack delivers again when it
 * does not get a 2xx: a body there that dudao does not handle is acknowledged, not refused.
 */
export function classifySlackBody(body: unknown, transport: { json: boolean }): SlackBodyVerdict {
  const retried = transport.json;
  if (!isRecord(body))
    return {
      ok: false,
      reason: 'malformed',
      kind: Array.isArray(body) ? 'array' : body === null ? 'null' : typeof body,
      retried,
      problem: 'not an object',
    };
  const type = typeof body.type === 'string' ? body.type : undefined;
  // The order is Bolt's: the first key present decides what it takes the body for.
  if (body.event !== undefined) return check('event', eventEnvelope, body, true);
  if (body.command !== undefined) {
    const verdict = check('command', command, body, retried);
    if (verdict.ok && body.command !== SLASH_COMMAND)
      return { ok: false, reason: 'unhandled', kind: `command ${String(body.command).slice(0, 40)}`, retried };
    return verdict;
  }
  if (body.name !== undefined || type === 'block_suggestion')
    return { ok: false, reason: 'unhandled', kind: 'options', retried };
  if (body.actions !== undefined || type === 'dialog_submission') {
    if (type !== 'block_actions' && type !== undefined) return { ok: false, reason: 'unhandled', kind: type, retried };
    return check('action', blockActions, body, retried);
  }
  if (type === 'view_submission') {
    const verdict = check('view', viewSubmission, body, retried);
    if (!verdict.ok) return verdict;
    const callbackId = (body.view as { callback_id: string }).callback_id;
    return callbackId === FORM_CALLBACK_ID
      ? verdict
      : { ok: false, reason: 'unhandled', kind: `view_submission ${callbackId.slice(0, 40)}`, retried };
  }
  // Shortcuts, message actions, view_closed, app_rate_limited …: nothing in dudao listens for them.
  if (type) return { ok: false, reason: 'unhandled', kind: type.slice(0, 40), retried };
  return { ok: false, reason: 'malformed', kind: 'object', retried, problem: 'no type Slack sends' };
}
