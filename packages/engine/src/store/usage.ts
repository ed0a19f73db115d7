import type { Usage } from '@aura/protocol';
import { type Kysely, sql } from 'kysely';
import { NotFoundError } from './errors.ts';
import { emptyUsage, type UsageTotals } from './rows.ts';
import type { Database } from './schema.ts';
import { checkId, checkInteger, checkText, checkUsage } from './validate.ts';

export interface UsageInput {
  sessionId: string;
  messageId: string;
  step: number;
  model: string;
  usage: Usage;
}

/**
 * One row per (session, message, step). Recording the same step again replaces it, so a retried
 * write never double-counts.
 */
export async function recordUsage(db: Kysely<Database>, input: UsageInput): Promise<void> {
  const usage = checkUsage(input.usage);
  const row = {
    session_id: checkId(input.sessionId, 'session id'),
    message_id: checkId(input.messageId, 'message id'),
    step: checkInteger(input.step, 'step'),
    model: checkText(input.model, 'model'),
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    reasoning_tokens: usage.reasoningTokens,
    cached_input_tokens: usage.cachedInputTokens,
    cost_usd: usage.costUsd,
    created_at: Date.now(),
  };
  const session = await db
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', row.session_id)
    .executeTakeFirst();
  if (!session) throw new NotFoundError('Session', row.session_id);
  await db
    .insertInto('usage_records')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['session_id', 'message_id', 'step']).doUpdateSet((eb) => ({
        model: eb.ref('excluded.model'),
        input_tokens: eb.ref('excluded.input_tokens'),
        output_tokens: eb.ref('excluded.output_tokens'),
        reasoning_tokens: eb.ref('excluded.reasoning_tokens'),
        cached_input_tokens: eb.ref('excluded.cached_input_tokens'),
        cost_usd: eb.ref('excluded.cost_usd'),
        created_at: eb.ref('excluded.created_at'),
      })),
    )
    .execute();
}

/** Usage summed per session for `sessionIds`; sessions without usage rows are absent. */
export async function sessionUsageTotals(
  db: Kysely<Database>,
  sessionIds: readonly string[],
): Promise<Map<string, UsageTotals>> {
  const rows = await db
    .selectFrom('usage_records')
    .select((eb) => [
      'session_id',
      eb.fn.sum<number>('input_tokens').as('input_tokens'),
      eb.fn.sum<number>('output_tokens').as('output_tokens'),
      eb.fn.sum<number>('reasoning_tokens').as('reasoning_tokens'),
      eb.fn.sum<number>('cached_input_tokens').as('cached_input_tokens'),
      // SUM skips NULLs and is NULL only when every row's cost is unknown: exactly "sum of known costs".
      eb.fn.sum<number | null>('cost_usd').as('cost_usd'),
      sql<number>`count(*)`.as('steps'),
    ])
    .where('session_id', 'in', sessionIds)
    .groupBy('session_id')
    .execute();
  return new Map(
    rows.map((row) => [
      row.session_id,
      {
        // pg returns SUM(integer) as bigint, parsed to number; Number() also covers numeric strings.
        inputTokens: Number(row.input_tokens),
        outputTokens: Number(row.output_tokens),
        reasoningTokens: Number(row.reasoning_tokens),
        cachedInputTokens: Number(row.cached_input_tokens),
        costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
        steps: Number(row.steps),
      },
    ]),
  );
}

export async function sessionUsage(db: Kysely<Database>, sessionId: string): Promise<UsageTotals> {
  const totals = await sessionUsageTotals(db, [sessionId]);
  return totals.get(sessionId) ?? emptyUsage();
}
