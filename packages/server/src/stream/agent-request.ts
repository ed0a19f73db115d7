import { type Attachment, attachment, sessionMode } from '@aura/protocol';
import { z } from 'zod';
import { HttpError } from '../http/errors.ts';

const uiPart = z.looseObject({ type: z.string() });

const uiMessage = z.looseObject({
  id: z.string(),
  role: z.enum(['system', 'user', 'assistant']),
  parts: z.array(uiPart),
});

/** What `DefaultChatTransport` posts (`id`, `messages`, `trigger`, `messageId`), plus our fields. */
export const agentStreamBody = z.looseObject({
  id: z.string().max(200).optional(),
  messages: z.array(uiMessage).min(1),
  trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
  messageId: z.string().optional(),
  projectId: z.string().min(1).max(200),
  sessionId: z.string().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
  mode: sessionMode.optional(),
});

export type AgentStreamBody = z.infer<typeof agentStreamBody>;

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const filePart = attachment.extend({ type: z.literal('file') });

/**
 * The new turn: the text and files of the last message, which must be the user's. Only that
 * message is read; the session's own history is the conversation, not what the client sends.
 */
export function lastUserTurn(body: AgentStreamBody): { text: string; attachments?: Attachment[] } {
  if (body.trigger !== 'submit-message') {
    throw new HttpError(
      400,
      'unsupported_trigger',
      'Regenerating a message is not supported: send a new message instead.',
    );
  }
  const last = body.messages.at(-1);
  if (last?.role !== 'user')
    throw new HttpError(400, 'invalid_body', 'The last message must be from the user.');
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  for (const part of last.parts) {
    const text = textPart.safeParse(part);
    if (text.success) texts.push(text.data.text);
    const file = filePart.safeParse(part);
    if (file.success) {
      const { type: _type, ...rest } = file.data;
      attachments.push(rest);
    }
  }
  const text = texts.join('\n\n');
  if (!text.trim()) throw new HttpError(400, 'invalid_body', 'The last user message has no text.');
  if (text.length > 100_000)
    throw new HttpError(400, 'invalid_body', 'The message is longer than 100,000 characters.');
  if (attachments.length > 20)
    throw new HttpError(400, 'invalid_body', 'A message can carry at most 20 files.');
  return attachments.length > 0 ? { text, attachments } : { text };
}
