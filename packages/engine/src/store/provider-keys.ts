import type { Kysely, Selectable } from 'kysely';
import type { Database, ProviderKeysTable } from './schema.ts';
import {
  checkBoundedId,
  checkBoundedText,
  checkCiphertext,
  checkNullableUrl,
  checkProvider,
  LIMITS,
} from './validate.ts';

/** What a user may see of a stored key: never the ciphertext. */
export interface ProviderKeyInfo {
  provider: string;
  /** A few characters to recognise the key by (e.g. its last 4). */
  hint: string;
  baseUrl: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface SetProviderKeyInput {
  userId: string;
  provider: string;
  /** The key encrypted by the caller; the store never sees the key itself. */
  ciphertext: string;
  hint: string;
  baseUrl?: string | null;
}

const infoColumns = ['provider', 'hint', 'base_url', 'created_at', 'updated_at'] as const;

function toProviderKeyInfo(
  row: Pick<Selectable<ProviderKeysTable>, (typeof infoColumns)[number]>,
): ProviderKeyInfo {
  return {
    provider: row.provider,
    hint: row.hint,
    baseUrl: row.base_url,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Inserts or replaces the user's key for `provider`; a replacement keeps createdAt. */
export async function setProviderKey(
  db: Kysely<Database>,
  input: SetProviderKeyInput,
): Promise<ProviderKeyInfo> {
  const now = Date.now();
  const row: Selectable<ProviderKeysTable> = {
    user_id: checkBoundedId(input.userId, 'user id'),
    provider: checkProvider(input.provider),
    ciphertext: checkCiphertext(input.ciphertext),
    hint: checkBoundedText(input.hint, 'provider key hint', LIMITS.hint),
    base_url: checkNullableUrl(input.baseUrl ?? null, 'provider base URL'),
    created_at: now,
    updated_at: now,
  };
  const stored = await db
    .insertInto('provider_keys')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['user_id', 'provider']).doUpdateSet((eb) => ({
        ciphertext: eb.ref('excluded.ciphertext'),
        hint: eb.ref('excluded.hint'),
        base_url: eb.ref('excluded.base_url'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returning(infoColumns)
    .executeTakeFirstOrThrow();
  return toProviderKeyInfo(stored);
}

/** Ordered by provider name, compared by code unit (collations differ between the backends). */
export async function listProviderKeys(db: Kysely<Database>, userId: string): Promise<ProviderKeyInfo[]> {
  const rows = await db
    .selectFrom('provider_keys')
    .select(infoColumns)
    .where('user_id', '=', userId)
    .execute();
  rows.sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0));
  return rows.map(toProviderKeyInfo);
}

export async function getProviderKeyCiphertext(
  db: Kysely<Database>,
  userId: string,
  provider: string,
): Promise<{ ciphertext: string; baseUrl: string | null } | undefined> {
  const row = await db
    .selectFrom('provider_keys')
    .select(['ciphertext', 'base_url'])
    .where('user_id', '=', userId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return row && { ciphertext: row.ciphertext, baseUrl: row.base_url };
}

/** Every sealed key of a user in one query (to configure a run). */
export async function listProviderKeyCiphertexts(
  db: Kysely<Database>,
  userId: string,
): Promise<{ provider: string; ciphertext: string; baseUrl: string | null }[]> {
  const rows = await db
    .selectFrom('provider_keys')
    .select(['provider', 'ciphertext', 'base_url'])
    .where('user_id', '=', userId)
    .orderBy('provider')
    .execute();
  return rows.map((row) => ({ provider: row.provider, ciphertext: row.ciphertext, baseUrl: row.base_url }));
}

export async function deleteProviderKey(
  db: Kysely<Database>,
  userId: string,
  provider: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('provider_keys')
    .where('user_id', '=', userId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
