import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, type Store } from './index.ts';
import {
  createPostgresBackend,
  createSqliteBackend,
  SKIP_POSTGRES,
  type TestBackend,
} from './test-backends.ts';

const backends: [TestBackend['name'], () => Promise<TestBackend>][] = [['sqlite', createSqliteBackend]];
if (!SKIP_POSTGRES) backends.push(['postgres', createPostgresBackend]);

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe.each(backends)('device codes on %s', (_name, createBackend) => {
  let backend: TestBackend;
  let store: Store;

  beforeAll(async () => {
    backend = await createBackend();
    store = await backend.open();
  });

  afterAll(async () => {
    await store?.close();
    await backend?.dispose();
  });

  /** A new pending login; its codes are random so tests never share one. */
  async function start(overrides: { expiresAt?: number; clientName?: string } = {}) {
    const codes = { device: sha256(randomUUID()), user: sha256(randomUUID()) };
    await store.createDeviceCode({
      deviceCodeHash: codes.device,
      userCodeHash: codes.user,
      clientName: overrides.clientName ?? 'laptop',
      intervalSeconds: 5,
      expiresAt: overrides.expiresAt ?? Date.now() + 600_000,
    });
    return codes;
  }

  /** As if the client's last poll was a minute ago: the next one is on time. */
  const waitedLongEnough = (deviceHash: string) =>
    backend.query('update device_codes set last_polled_at = ? where device_code_hash = ?', [
      Date.now() - 60_000,
      deviceHash,
    ]);

  it('shows a pending request to its approver by user code only', async () => {
    const before = Date.now();
    const codes = await start({ clientName: 'build-box' });
    const found = await store.findPendingDeviceCode(codes.user);
    expect(found).toMatchObject({ clientName: 'build-box' });
    expect(found?.createdAt).toBeGreaterThanOrEqual(before);
    expect(found?.expiresAt).toBeGreaterThan(found?.createdAt ?? Infinity);
    expect(await store.findPendingDeviceCode(codes.device)).toBeUndefined();
    expect(await store.findPendingDeviceCode(sha256('nobody typed this'))).toBeUndefined();
  });

  it('refuses a second login with the same user code', async () => {
    const codes = await start();
    await expect(
      store.createDeviceCode({
        deviceCodeHash: sha256(randomUUID()),
        userCodeHash: codes.user,
        clientName: 'other',
        intervalSeconds: 5,
        expiresAt: Date.now() + 600_000,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers pending, then slow_down (adding 5 s each time) to a client that polls too fast', async () => {
    const codes = await start();
    expect(await store.pollDeviceCode(codes.device)).toEqual({ outcome: 'pending' });
    expect(await store.pollDeviceCode(codes.device)).toEqual({ outcome: 'slow_down', intervalSeconds: 10 });
    expect(await store.pollDeviceCode(codes.device)).toEqual({ outcome: 'slow_down', intervalSeconds: 15 });
    await waitedLongEnough(codes.device);
    expect(await store.pollDeviceCode(codes.device)).toEqual({ outcome: 'pending' });
  });

  it('hands an approval out once, naming who approved it', async () => {
    const codes = await start({ clientName: 'ci-runner' });
    expect(await store.decideDeviceCode(codes.user, 'user_ada', 'approved')).toBe(true);
    expect(await store.findPendingDeviceCode(codes.user)).toBeUndefined();
    expect(await store.pollDeviceCode(codes.device)).toEqual({
      outcome: 'approved',
      userId: 'user_ada',
      clientName: 'ci-runner',
    });
    await waitedLongEnough(codes.device);
    expect(await store.pollDeviceCode(codes.device)).toEqual({ outcome: 'redeemed' });
    expect(await store.decideDeviceCode(codes.user, 'user_eve', 'approved')).toBe(false);
  });

  it('redeems an approval once when two processes poll at the same moment', async () => {
    const other = await backend.open();
    try {
      const codes = await start();
      await store.decideDeviceCode(codes.user, 'user_ada', 'approved');
      const outcomes = await Promise.all([
        store.pollDeviceCode(codes.device),
        other.pollDeviceCode(codes.device),
      ]);
      expect(outcomes.map((poll) => poll.outcome).sort()).toEqual(['approved', 'slow_down']);
    } finally {
      await other.close();
    }
  });

  it('reports a denial, which cannot be turned into an approval', async () => {
    const codes = await start();
    expect(await store.decideDeviceCode(codes.user, 'user_ada', 'denied')).toBe(true);
    expect(await store.decideDeviceCode(codes.user, 'user_ada', 'approved')).toBe(false);
    expect(await store.pollDeviceCode(codes.device)).toEqual({ outcome: 'denied' });
  });

  it('lets an expired code be neither found, decided nor redeemed', async () => {
    const codes = await start({ expiresAt: Date.now() - 1 });
    expect(await store.findPendingDeviceCode(codes.user)).toBeUndefined();
    expect(await store.decideDeviceCode(codes.user, 'user_ada', 'approved')).toBe(false);
    expect(await store.pollDeviceCode(codes.device)).toEqual({ outcome: 'expired' });
  });

  it('sweeps codes that expired over an hour ago when a new login starts', async () => {
    const recent = await start({ expiresAt: Date.now() - 60_000 });
    const old = await start({ expiresAt: Date.now() - 2 * 3_600_000 });
    await start();
    expect(await store.pollDeviceCode(old.device)).toEqual({ outcome: 'unknown' });
    expect(await store.pollDeviceCode(recent.device)).toEqual({ outcome: 'expired' });
  });

  it('refuses malformed input before writing anything', async () => {
    const valid = {
      deviceCodeHash: sha256(randomUUID()),
      userCodeHash: sha256(randomUUID()),
      clientName: 'laptop',
      intervalSeconds: 5,
      expiresAt: Date.now() + 600_000,
    };
    const attempts = [
      { ...valid, deviceCodeHash: 'not-a-digest' },
      { ...valid, userCodeHash: valid.userCodeHash.toUpperCase() },
      { ...valid, clientName: 'x'.repeat(101) },
      { ...valid, intervalSeconds: -5 },
      { ...valid, expiresAt: Number.NaN },
    ];
    for (const attempt of attempts) {
      await expect(store.createDeviceCode(attempt)).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect(await store.pollDeviceCode(valid.deviceCodeHash)).toEqual({ outcome: 'unknown' });
    await expect(store.pollDeviceCode("' or 1=1 --")).rejects.toBeInstanceOf(InvalidInputError);
    await expect(store.decideDeviceCode(valid.userCodeHash, '', 'approved')).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});
