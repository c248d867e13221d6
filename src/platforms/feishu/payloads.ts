// The fields dudao reads from each Feishu event it handles, checked before a handler runs. The Lark
// dispatcher hands handlers the envelope flattened ({ ...header, ...event }) whatever it held, on the webhook
// and the long connection alike, so a delivery whose event is null or of the wrong shape is caught here,
// once, for both transports.
import { z } from 'zod';
import type { ErrorLogger } from '../../core/shared/errors.js';

const id = z.string().min(1);

export const messageEventShape = z.looseObject({
  event_id: z.string().optional(),
  sender: z.looseObject({
    sender_id: z.looseObject({ open_id: z.string().optional() }).optional(),
    sender_type: z.string().optional(),
  }),
  message: z.looseObject({
    message_id: id,
    chat_id: id,
    chat_type: z.string().optional(),
    message_type: z.string().optional(),
    content: z.string().optional(),
    mentions: z
      .array(z.looseObject({ key: z.string(), id: z.looseObject({ open_id: z.string().optional() }).optional() }))
      .optional(),
  }),
});

export const menuEventShape = z.looseObject({
  event_id: z.string().optional(),
  event_key: id,
  operator: z.looseObject({ operator_id: z.looseObject({ open_id: id }) }),
});

export const cardActionShape = z.looseObject({
  event_id: z.string().optional(),
  token: z.string().optional(),
  operator: z.looseObject({ open_id: id }),
  action: z.looseObject({}),
  context: z.looseObject({ open_chat_id: z.string().optional() }).optional(),
});

/** The event as its shape says, or undefined after one warn line (never the payload: it holds the verification token). */
export function readEvent<T extends z.ZodType>(
  shape: T,
  data: unknown,
  type: string,
  logger: ErrorLogger,
): z.infer<T> | undefined {
  const r = shape.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  logger.warn(
    {
      source: 'feishu',
      type,
      problem: issue ? `${issue.path.join('.') || '(event)'}: ${issue.message}`.slice(0, 200) : 'invalid',
    },
    'acknowledged a Feishu event that is malformed, without handling it',
  );
  return undefined;
}
