import type { EventEnvelope, EventInput, Message, SessionInfo } from '@aura/protocol';
import type { Kysely } from 'kysely';
import * as apiTokens from './api-tokens.ts';
import * as deviceCodes from './device-codes.ts';
import * as events from './events.ts';
import * as messages from './messages.ts';
import { migrate } from './migrations.ts';
import * as projects from './projects.ts';
import * as providerKeys from './provider-keys.ts';
import type { UsageTotals } from './rows.ts';
import type { Database } from './schema.ts';
import * as sessionImport from './session-import.ts';
import * as sessionSearch from './session-search.ts';
import * as sessions from './sessions.ts';
import * as settings from './settings.ts';
import { openSqlite } from './sqlite.ts';
import type { OpenStoreOptions, Store } from './types.ts';
import * as usage from './usage.ts';

/** The Store over a migrated Kysely instance; each method delegates to its table's module. */
class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
    this.#db = db;
    this.dialect = dialect;
  }

  createSession(input: sessions.CreateSessionInput): Promise<SessionInfo> {
    return sessions.createSession(this.#db, input);
  }
  getSession(id: string): Promise<SessionInfo | undefined> {
    if (!lookupable(id)) return Promise.resolve(undefined);
    return sessions.getSession(this.#db, id);
  }
  listSessions(opts?: sessions.ListSessionsOptions): Promise<SessionInfo[]> {
    return sessions.listSessions(this.#db, opts);
  }
  updateSession(id: string, patch: sessions.SessionPatch): Promise<SessionInfo | undefined> {
    return sessions.updateSession(this.#db, id, patch);
  }
  deleteSession(id: string): Promise<boolean> {
    return sessions.deleteSession(this.#db, id);
  }
  searchSessions(query: string, opts?: { limit?: number }): Promise<SessionInfo[]> {
    return sessions.searchSessions(this.#db, query, opts);
  }
  searchSessionHits(query: string, opts?: { limit?: number }): Promise<sessionSearch.SessionSearchHit[]> {
    return sessionSearch.searchSessionHits(this.#db, query, opts);
  }
  importSession(input: sessionImport.ImportSessionInput): Promise<SessionInfo> {
    return sessionImport.importSession(this.#db, input);
  }
  markInterruptedSessions(): Promise<SessionInfo[]> {
    return sessions.markInterruptedSessions(this.#db);
  }

  createProject(input: projects.CreateProjectInput): Promise<projects.ProjectRecord> {
    return projects.createProject(this.#db, input);
  }
  getProject(id: string): Promise<projects.ProjectRecord | undefined> {
    if (!lookupable(id)) return Promise.resolve(undefined);
    return projects.getProject(this.#db, id);
  }
  listProjects(
    opts: projects.ListProjectsOptions,
  ): Promise<{ items: projects.ProjectRecord[]; total: number }> {
    return projects.listProjects(this.#db, opts);
  }
  updateProject(id: string, patch: projects.ProjectPatch): Promise<projects.ProjectRecord | undefined> {
    return projects.updateProject(this.#db, id, patch);
  }
  networkOffWorkspaces(): Promise<string[]> {
    return projects.networkOffWorkspaces(this.#db);
  }

  deleteProject(id: string): Promise<boolean> {
    return projects.deleteProject(this.#db, id);
  }
  touchProject(id: string): Promise<void> {
    return projects.touchProject(this.#db, id);
  }

  setProviderKey(input: providerKeys.SetProviderKeyInput): Promise<providerKeys.ProviderKeyInfo> {
    return providerKeys.setProviderKey(this.#db, input);
  }
  listProviderKeys(userId: string): Promise<providerKeys.ProviderKeyInfo[]> {
    return providerKeys.listProviderKeys(this.#db, userId);
  }
  getProviderKeyCiphertext(
    userId: string,
    provider: string,
  ): Promise<{ ciphertext: string; baseUrl: string | null } | undefined> {
    return providerKeys.getProviderKeyCiphertext(this.#db, userId, provider);
  }
  listProviderKeyCiphertexts(
    userId: string,
  ): Promise<{ provider: string; ciphertext: string; baseUrl: string | null }[]> {
    return providerKeys.listProviderKeyCiphertexts(this.#db, userId);
  }
  deleteProviderKey(userId: string, provider: string): Promise<boolean> {
    return providerKeys.deleteProviderKey(this.#db, userId, provider);
  }

  createApiToken(input: apiTokens.CreateApiTokenInput): Promise<apiTokens.ApiTokenInfo> {
    return apiTokens.createApiToken(this.#db, input);
  }
  findApiTokenByHash(tokenHash: string): Promise<(apiTokens.ApiTokenInfo & { userId: string }) | undefined> {
    return apiTokens.findApiTokenByHash(this.#db, tokenHash);
  }
  listApiTokens(userId: string): Promise<apiTokens.ApiTokenInfo[]> {
    return apiTokens.listApiTokens(this.#db, userId);
  }
  deleteApiToken(userId: string, id: string): Promise<boolean> {
    return apiTokens.deleteApiToken(this.#db, userId, id);
  }

  createDeviceCode(input: deviceCodes.CreateDeviceCodeInput): Promise<void> {
    return deviceCodes.createDeviceCode(this.#db, input);
  }
  findPendingDeviceCode(userCodeHash: string): Promise<deviceCodes.DeviceCodeRequest | undefined> {
    return deviceCodes.findPendingDeviceCode(this.#db, userCodeHash);
  }
  decideDeviceCode(userCodeHash: string, userId: string, decision: 'approved' | 'denied'): Promise<boolean> {
    return deviceCodes.decideDeviceCode(this.#db, userCodeHash, userId, decision);
  }
  pollDeviceCode(deviceCodeHash: string): Promise<deviceCodes.DeviceCodePoll> {
    return deviceCodes.pollDeviceCode(this.#db, deviceCodeHash);
  }

  createMessage(input: messages.CreateMessageInput): Promise<Message> {
    return messages.createMessage(this.#db, input);
  }
  updateMessage(id: string, patch: messages.MessagePatch): Promise<Message | undefined> {
    return messages.updateMessage(this.#db, id, patch);
  }
  getMessage(id: string): Promise<Message | undefined> {
    if (!lookupable(id)) return Promise.resolve(undefined);
    return messages.getMessage(this.#db, id);
  }
  listMessages(sessionId: string, opts?: messages.ListMessagesOptions): Promise<Message[]> {
    return messages.listMessages(this.#db, sessionId, opts);
  }

  async appendEvent(sessionId: string, event: EventInput): Promise<EventEnvelope> {
    const [envelope] = await events.appendEvents(this.#db, sessionId, [event]);
    if (!envelope) throw new Error('appendEvents returned no envelope for one event');
    return envelope;
  }
  appendEvents(sessionId: string, list: EventInput[]): Promise<EventEnvelope[]> {
    return events.appendEvents(this.#db, sessionId, list);
  }
  listEvents(sessionId: string, opts?: events.ListEventsOptions): Promise<EventEnvelope[]> {
    return events.listEvents(this.#db, sessionId, opts);
  }

  recordUsage(row: usage.UsageInput): Promise<void> {
    return usage.recordUsage(this.#db, row);
  }
  sessionUsage(sessionId: string): Promise<UsageTotals> {
    return usage.sessionUsage(this.#db, sessionId);
  }

  getSetting(scope: string, key: string): Promise<unknown> {
    return settings.getSetting(this.#db, scope, key);
  }
  setSetting(scope: string, key: string, value: unknown): Promise<void> {
    return settings.setSetting(this.#db, scope, key, value);
  }

  get kysely(): Kysely<Database> {
    return this.#db;
  }

  close(): Promise<void> {
    return this.#db.destroy();
  }
}

/** Opens PostgreSQL when `databaseUrl` is given, else SQLite at `sqlitePath`; migrates before returning. */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (opts.databaseUrl) {
    // The pg driver loads only for PostgreSQL: a SQLite process (the CLI) never pays for it.
    const { openPostgres } = await import('./postgres.ts');
    const { db, schema } = await openPostgres(opts.databaseUrl, opts.schema);
    return migrated(db, 'postgres', schema);
  }
  if (opts.sqlitePath) {
    return migrated(openSqlite(opts.sqlitePath), 'sqlite');
  }
  throw new Error('openStore needs a databaseUrl or a sqlitePath');
}

async function migrated(db: Kysely<Database>, dialect: Store['dialect'], schema?: string): Promise<Store> {
  try {
    await migrate(db, schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyStore(db, dialect);
}

/** An id no row can have (PostgreSQL would even refuse to compare with a NUL): a miss, not an error. */
function lookupable(id: string): boolean {
  return id.length > 0 && id.length <= 200 && !id.includes('\0');
}
