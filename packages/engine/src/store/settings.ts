import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { checkText, fromJson, toJson } from './validate.ts';

export async function getSetting(db: Kysely<Database>, scope: string, key: string): Promise<unknown> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  return row === undefined ? undefined : fromJson(row.value);
}

/** Stores `value` as JSON; `undefined` removes the setting. */
export async function setSetting(
  db: Kysely<Database>,
  scope: string,
  key: string,
  value: unknown,
): Promise<void> {
  checkText(scope, 'setting scope');
  checkText(key, 'setting key');
  if (value === undefined) {
    await db.deleteFrom('settings').where('scope', '=', scope).where('key', '=', key).execute();
    return;
  }
  const row = { scope, key, value: toJson(value, `setting ${scope}/${key}`), updated_at: Date.now() };
  await db
    .insertInto('settings')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['scope', 'key']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
