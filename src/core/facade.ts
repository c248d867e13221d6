// The one entry point the platform adapters call. Every method takes plain inputs (including `now`)
// and returns neutral views; adapters render them and deliver side effects through the outbox.
import type { ActorRef } from './ports.js';
import type { FormOutcome, Reply } from './views/types.js';

export interface CommandInput {
  actor: ActorRef;
  /** Command text without the "/dudao" prefix or bot mention, e.g. "inspect 门店A". Mentions are "<@ID>". */
  text: string;
  /** Where the command was typed (Slack channel id, Feishu chat_id); summaries are posted there. */
  channelId: string;
  now: Date;
  /**
   * false: no form can be opened for this request (a Slack direct message carries no trigger_id), so a
   * command that would open one (and save a draft first) answers how to run it instead, saving nothing.
   */
  forms?: boolean;
}

export interface FormSubmitInput {
  actor: ActorRef;
  formType: string;
  formId: string;
  page: number;
  /** Field id -> submitted value ('' or missing when left empty). */
  values: Record<string, string | undefined>;
  now: Date;
}

export interface ActionInput {
  actor: ActorRef;
  actionId: string;
  value: string;
  channelId: string;
  now: Date;
}

export interface DudaoCore {
  command(input: CommandInput): Promise<Reply>;
  submitForm(input: FormSubmitInput): Promise<FormOutcome>;
  action(input: ActionInput): Promise<Reply>;
}
