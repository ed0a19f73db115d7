import { z } from 'zod';
import { attachment } from './messages.ts';
import { sessionMode } from './states.ts';

/** Client → server commands, `{ type, data, id? }`; `id` lets a client correlate replies. */
const modelId = z.string().min(1).max(200);
const terminalId = z.string().min(1).max(100);
/** Terminal sizes in character cells. */
const cells = z.number().int().min(1).max(1000);

export const commandData = {
  generate: z.object({ description: z.string().min(1).max(100_000), model: modelId.optional() }),
  send: z.object({
    text: z.string().min(1).max(100_000),
    attachments: z.array(attachment).max(20).optional(),
    model: modelId.optional(),
    mode: sessionMode.optional(),
  }),
  cancel: z.object({}).strict(),
  get_state: z.object({}).strict(),
  permission_reply: z.object({
    requestId: z.string().min(1),
    reply: z.enum(['once', 'always', 'reject']),
    message: z.string().max(10_000).optional(),
  }),
  resume: z.object({ since: z.number().int().nonnegative() }),
  /** Opens a shell in the project's sandbox; must carry an `id`: its ack is `{terminalId}`. */
  terminal_open: z.object({ cols: cells, rows: cells }),
  terminal_input: z.object({ terminalId, data: z.string().max(1_000_000) }),
  terminal_resize: z.object({ terminalId, cols: cells, rows: cells }),
  terminal_close: z.object({ terminalId }),
  ping: z.object({}).strict(),
} as const;

export type CommandType = keyof typeof commandData;
export const commandTypes = Object.keys(commandData) as CommandType[];

export type Command = {
  [K in CommandType]: { id?: string; type: K; data: z.infer<(typeof commandData)[K]> };
}[CommandType];

const commandOf = <K extends CommandType>(type: K) =>
  z.object({ id: z.string().max(100).optional(), type: z.literal(type), data: commandData[type] });

export const command = z.discriminatedUnion(
  'type',
  commandTypes.map((t) => commandOf(t)) as unknown as [
    ReturnType<typeof commandOf>,
    ...ReturnType<typeof commandOf>[],
  ],
);

/**
 * Server → client terminal frames, `{ type, data }`. Control frames like `ack`: they carry no
 * `seq` and are never persisted to the session's event log; only the socket that opened the
 * terminal receives them.
 */
export const terminalFrameData = {
  terminal_output: z.object({ terminalId, data: z.string() }),
  /** The shell ended: it exited, was closed by `terminal_close`, or died with its sandbox. */
  terminal_exit: z.object({ terminalId, exitCode: z.number().int().nullable() }),
} as const;

export type TerminalFrameType = keyof typeof terminalFrameData;
export type TerminalFrame = {
  [K in TerminalFrameType]: { type: K; data: z.infer<(typeof terminalFrameData)[K]> };
}[TerminalFrameType];

export type PermissionReply = z.infer<typeof commandData.permission_reply>;

/** Parses a raw command; returns a readable error instead of throwing. */
export function parseCommand(value: unknown): { ok: true; command: Command } | { ok: false; error: string } {
  const result = command.safeParse(value);
  if (result.success) return { ok: true, command: result.data as Command };
  return { ok: false, error: z.prettifyError(result.error) };
}
