import type { Kysely } from 'kysely';
import { ConflictError } from './errors.ts';
import type { Database, DeviceCodeStatus } from './schema.ts';
import { checkBoundedId, checkBoundedText, checkInteger, checkSha256 } from './validate.ts';

export type { DeviceCodeStatus };

export interface CreateDeviceCodeInput {
  /** sha-256 of the device code in lowercase hex; the store never sees the code itself. */
  deviceCodeHash: string;
  /** sha-256 of the normalised user code in lowercase hex. */
  userCodeHash: string;
  clientName: string;
  intervalSeconds: number;
  expiresAt: number;
}

/** What the person approving a device login is shown. */
export interface DeviceCodeRequest {
  clientName: string;
  createdAt: number;
  expiresAt: number;
}

/** The answer to one poll of the client, as RFC 8628 §3.5 distinguishes them. */
export type DeviceCodePoll =
  | { outcome: 'unknown' }
  | { outcome: 'expired' }
  | { outcome: 'denied' }
  /** The API token was already handed out for this code: codes are single use. */
  | { outcome: 'redeemed' }
  | { outcome: 'slow_down'; intervalSeconds: number }
  | { outcome: 'pending' }
  /** Approved, and now redeemed by this poll: the caller mints the token for `userId`. */
  | { outcome: 'approved'; userId: string; clientName: string };

/** Clients that wait the interval between response and request arrive later than that, never earlier; this forgives clock jitter. */
const POLL_SLACK_MS = 1_000;
/** RFC 8628 §3.5: each `slow_down` adds 5 s to the interval. */
const SLOW_DOWN_STEP_S = 5;
/** Expired codes are kept this long (so a late poll hears "expired", not "unknown"), then swept. */
const KEEP_EXPIRED_MS = 60 * 60_000;
const CLIENT_NAME_MAX = 100;

/** Also sweeps codes that expired over an hour ago. Throws ConflictError when the user code is taken. */
export async function createDeviceCode(db: Kysely<Database>, input: CreateDeviceCodeInput): Promise<void> {
  const now = Date.now();
  const row = {
    device_code_hash: checkSha256(input.deviceCodeHash, 'device code hash'),
    user_code_hash: checkSha256(input.userCodeHash, 'user code hash'),
    client_name: checkBoundedText(input.clientName, 'device client name', CLIENT_NAME_MAX),
    status: 'pending' as const,
    user_id: null,
    interval_s: checkInteger(input.intervalSeconds, 'device poll interval'),
    last_polled_at: null,
    created_at: now,
    expires_at: checkInteger(input.expiresAt, 'device code expiry'),
  };
  await db
    .deleteFrom('device_codes')
    .where('expires_at', '<', now - KEEP_EXPIRED_MS)
    .execute();
  const inserted = await db
    .insertInto('device_codes')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('device_code_hash')
    .executeTakeFirst();
  if (!inserted)
    throw new ConflictError('DeviceCode', 'user code', 'A device login with this user code already exists');
}

/** The pending, unexpired request with this user code; undefined for any other. */
export async function findPendingDeviceCode(
  db: Kysely<Database>,
  userCodeHash: string,
): Promise<DeviceCodeRequest | undefined> {
  const row = await db
    .selectFrom('device_codes')
    .select(['client_name', 'created_at', 'expires_at'])
    .where('user_code_hash', '=', checkSha256(userCodeHash, 'user code hash'))
    .where('status', '=', 'pending')
    .where('expires_at', '>', Date.now())
    .executeTakeFirst();
  return (
    row && {
      clientName: row.client_name,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    }
  );
}

/** Approves or denies a pending, unexpired request as `userId`; false when there is none. */
export async function decideDeviceCode(
  db: Kysely<Database>,
  userCodeHash: string,
  userId: string,
  decision: 'approved' | 'denied',
): Promise<boolean> {
  const result = await db
    .updateTable('device_codes')
    .set({ status: decision, user_id: checkBoundedId(userId, 'user id') })
    .where('user_code_hash', '=', checkSha256(userCodeHash, 'user code hash'))
    .where('status', '=', 'pending')
    .where('expires_at', '>', Date.now())
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * One poll by the client holding the device code. Every check that two server processes could
 * race on is a conditional UPDATE, so a poll is counted once and an approval is redeemed once.
 */
export async function pollDeviceCode(db: Kysely<Database>, deviceCodeHash: string): Promise<DeviceCodePoll> {
  const hash = checkSha256(deviceCodeHash, 'device code hash');
  const now = Date.now();
  const row = await db
    .selectFrom('device_codes')
    .select(['status', 'expires_at'])
    .where('device_code_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return { outcome: 'unknown' };
  if (row.status === 'redeemed') return { outcome: 'redeemed' };
  if (Number(row.expires_at) <= now) return { outcome: 'expired' };
  if (row.status === 'denied') return { outcome: 'denied' };

  const onTime = await db
    .updateTable('device_codes')
    .set({ last_polled_at: now })
    .where('device_code_hash', '=', hash)
    .where((eb) =>
      eb.or([
        eb('last_polled_at', 'is', null),
        eb(eb('last_polled_at', '+', eb('interval_s', '*', 1000)), '<=', now + POLL_SLACK_MS),
      ]),
    )
    .executeTakeFirst();
  if (onTime.numUpdatedRows === 0n) {
    const slowed = await db
      .updateTable('device_codes')
      .set((eb) => ({ interval_s: eb('interval_s', '+', SLOW_DOWN_STEP_S), last_polled_at: now }))
      .where('device_code_hash', '=', hash)
      .returning('interval_s')
      .executeTakeFirst();
    return slowed
      ? { outcome: 'slow_down', intervalSeconds: Number(slowed.interval_s) }
      : { outcome: 'unknown' };
  }

  if (row.status === 'pending') return { outcome: 'pending' };
  const redeemed = await db
    .updateTable('device_codes')
    .set({ status: 'redeemed' })
    .where('device_code_hash', '=', hash)
    .where('status', '=', 'approved')
    .returning(['user_id', 'client_name'])
    .executeTakeFirst();
  // Another poll redeemed it between our read and this update.
  if (!redeemed?.user_id) return { outcome: 'redeemed' };
  return { outcome: 'approved', userId: redeemed.user_id, clientName: redeemed.client_name };
}
