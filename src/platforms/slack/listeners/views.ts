// A submitted modal is answered in the ack itself (Slack allows 3 s): field errors, the next page, or a
// notice (done, refused, an error) in place of the form; what the core leaves for after the answer runs after it.
import type { App } from '@slack/bolt';
import type { ActorRef, Locale } from '../../../core/ports.js';
import type { FormOutcome } from '../../../core/views/types.js';
import { noticeModal, presentSlackError } from '../errors.js';
import { FORM_CALLBACK_ID, readModalValues, readPrivateMetadata, renderFieldErrors, renderModal } from '../render.js';
import type { ListenerContext } from './context.js';

export function listenToViews(app: App, ctx: ListenerContext): void {
  const { core, clock, logger } = ctx;
  app.view(FORM_CALLBACK_ID, async ({ ack, body, view }) => {
    const actor: ActorRef = { platform: 'slack', userId: body.user.id };
    const meta = readPrivateMetadata(view.private_metadata);
    // The member's locale only frames a notice (errors, done, refused); the core reads the member itself, so
    // a page that goes on to the next one costs no second lookup.
    const locale = () => ctx.localeOf(actor).catch(() => 'en' as Locale);
    const notice = async (text: (l: Locale) => string) => {
      const l = await locale();
      await ack({ response_action: 'update', view: noticeModal(text(l), l) as never });
    };
    if (!meta) {
      await notice((l) => presentSlackError(new Error('malformed private_metadata'), l, logger));
      return;
    }
    let outcome: FormOutcome;
    try {
      outcome = await core.submitForm({ actor, ...meta, values: readModalValues(view.state.values), now: clock.now() });
    } catch (e) {
      await notice((l) => presentSlackError(e, l, logger));
      return;
    }
    switch (outcome.kind) {
      case 'errors':
        await ack({ response_action: 'errors', errors: renderFieldErrors(outcome.errors) } as never);
        break;
      case 'next':
        await ack({ response_action: 'update', view: renderModal(outcome.form) as never });
        break;
      case 'done': {
        const { text } = outcome.message;
        await notice(() => text);
        break;
      }
      case 'refused': {
        const { message } = outcome;
        await notice(() => message);
        break;
      }
    }
    // The rest of the work (a checklist's details and messages) is done now that the answer is out.
    if (outcome.kind === 'done' && outcome.afterAnswer)
      await outcome.afterAnswer().catch((e) => presentSlackError(e, 'en', logger));
    ctx.afterChange();
  });
}
