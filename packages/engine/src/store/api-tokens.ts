import type { Kysely, Selectable } from 'kysely';
import { ConflictError } from './errors.ts';
import { newId } from './ids.ts';
import type { ApiTokensTable, Database } from './schema.ts';
import { checkBoundedId, checkName, checkNullableTimestamp, checkPrefix, checkSha256 } from './validate.ts';

/** What the owner may see of a token: never its hash. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  /** The first characters of the token, to recognise it by. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** Epoch ms after which the token no longer authenticates; null for never. */
  expiresAt: number | null;
}

export interface CreateApiTokenInput {
  userId: string;
  name: string;
  /** sha-256 of the token in lowercase hex, computed by the caller; the store never sees the token. */
  tokenHash: string;
  prefix: string;
  expiresAt?: number | null;
}

const infoColumns = ['id', 'name', 'prefix', 'created_at', 'last_used_at', 'expires_at'] as const;

type InfoRow = Pick<Selectable<ApiTokensTable>, (typeof infoColumns)[number]>;

function toApiTokenInfo(row: InfoRow): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
}

/** Throws ConflictError when a token with the same hash exists (for any user). */
export async function createApiToken(
  db: Kysely<Database>,
  input: CreateApiTokenInput,
): Promise<ApiTokenInfo> {
  const row: Selectable<ApiTokensTable> = {
    id: newId('tok'),
    user_id: checkBoundedId(input.userId, 'user id'),
    name: checkName(input.name, 'API token name'),
    token_hash: checkSha256(input.tokenHash, 'API token hash'),
    prefix: checkPrefix(input.prefix),
    created_at: Date.now(),
    last_used_at: null,
    expires_at: checkNullableTimestamp(input.expiresAt ?? null, 'API token expiry'),
  };
  const inserted = await db
    .insertInto('api_tokens')
    .values(row)
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  // The message names neither the hash nor the other token: the conflict may be with another user's.
  if (!inserted) throw new ConflictError('ApiToken', row.id, 'An API token with this hash already exists');
  return toApiTokenInfo(row);
}

/**
 * The unexpired token with this hash, with its owner, recording the use (lastUsedAt = now) in the
 * same statement. Expired and unknown tokens give undefined and change nothing.
 */
export async function findApiTokenByHash(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<(ApiTokenInfo & { userId: string }) | undefined> {
  const hash = checkSha256(tokenHash, 'API token hash');
  const now = Date.now();
  const row = await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('token_hash', '=', hash)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .returning([...infoColumns, 'user_id'])
    .executeTakeFirst();
  return row && { ...toApiTokenInfo(row), userId: row.user_id };
}

/** Newest first; expired tokens included (their owner can still see and delete them). */
export async function listApiTokens(db: Kysely<Database>, userId: string): Promise<ApiTokenInfo[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(infoColumns)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiTokenInfo);
}

/** Deletes the token only if `userId` owns it. */
export async function deleteApiToken(db: Kysely<Database>, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('api_tokens')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
