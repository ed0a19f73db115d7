import type { ProjectInfo } from '@aura/protocol';
import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import { ConflictError, InvalidInputError } from './errors.ts';
import { newId } from './ids.ts';
import { containsIgnoringCase } from './like.ts';
import type { Database, ProjectsTable } from './schema.ts';
import {
  checkAbsolutePath,
  checkBoundedId,
  checkCount,
  checkName,
  checkNullableBoundedText,
  checkText,
  LIMITS,
} from './validate.ts';

/** A project as the server sees it: `workspace` is a path on the server host, never sent to clients. */
export type ProjectRecord = ProjectInfo & { workspace: string };

export interface CreateProjectInput {
  id?: string;
  /** The owner's Better Auth user id. */
  userId: string;
  name: string;
  description?: string | null;
  template?: string | null;
  /** Absolute path on the server host. */
  workspace: string;
  /** The sandbox's network (default on). */
  network?: boolean;
}

export interface ListProjectsOptions {
  userId: string;
  limit?: number;
  offset?: number;
  /** Case-insensitive substring of the name or description; blank means no filter. */
  search?: string;
}

export type ProjectPatch = Partial<{
  name: string;
  description: string | null;
  template: string | null;
  sandboxId: string | null;
  previewUrl: string | null;
  thumbnail: string | null;
  network: boolean;
}>;

const DEFAULT_LIST_LIMIT = 100;

/** The client-facing shape: everything but `workspace`. */
export function toProjectInfo(record: ProjectRecord): ProjectInfo {
  const { workspace: _internal, ...info } = record;
  return info;
}

function toProjectRecord(row: Selectable<ProjectsTable>): ProjectRecord {
  return {
    id: row.id,
    ownerId: row.user_id,
    name: row.name,
    description: row.description,
    template: row.template,
    sandboxId: row.sandbox_id,
    previewUrl: row.preview_url,
    thumbnail: row.thumbnail,
    network: Number(row.network) !== 0,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    workspace: row.workspace,
  };
}

export async function createProject(db: Kysely<Database>, input: CreateProjectInput): Promise<ProjectRecord> {
  const now = Date.now();
  const row: Selectable<ProjectsTable> = {
    id: input.id === undefined ? newId('prj') : checkBoundedId(input.id, 'project id'),
    user_id: checkBoundedId(input.userId, 'project owner id'),
    name: checkName(input.name, 'project name'),
    description: checkNullableBoundedText(
      input.description ?? null,
      'project description',
      LIMITS.description,
    ),
    template: checkNullableBoundedText(input.template ?? null, 'project template', LIMITS.label),
    sandbox_id: null,
    preview_url: null,
    thumbnail: null,
    workspace: checkAbsolutePath(input.workspace, 'project workspace'),
    network: input.network === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
  const inserted = await db
    .insertInto('projects')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new ConflictError('Project', row.id);
  return toProjectRecord(row);
}

export async function getProject(db: Kysely<Database>, id: string): Promise<ProjectRecord | undefined> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toProjectRecord(row);
}

/** Workspaces of every project with the network switched off (the server loads them at start). */
export async function networkOffWorkspaces(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('projects').select('workspace').where('network', '=', 0).execute();
  return rows.map((row) => row.workspace);
}

/**
 * One owner's projects, newest `updatedAt` first (ties: newest id first), and how many match in
 * all. The page and the count are two reads, so a concurrent write can make them disagree by one.
 */
export async function listProjects(
  db: Kysely<Database>,
  opts: ListProjectsOptions,
): Promise<{ items: ProjectRecord[]; total: number }> {
  const userId = checkBoundedId(opts.userId, 'project owner id');
  const limit = checkCount(opts.limit, 'limit') ?? DEFAULT_LIST_LIMIT;
  const offset = checkCount(opts.offset, 'offset') ?? 0;
  const search = opts.search === undefined ? '' : checkText(opts.search, 'project search').trim();

  let matching = db.selectFrom('projects').where('user_id', '=', userId);
  if (search !== '') {
    matching = matching.where((eb) =>
      eb.or([
        containsIgnoringCase(eb.ref('projects.name'), search),
        containsIgnoringCase(eb.ref('projects.description'), search),
      ]),
    );
  }
  const [rows, counted] = await Promise.all([
    matching
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    matching.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toProjectRecord), total: Number(counted.n) };
}

/** Fields absent from `patch` (or undefined) are left alone; any change bumps updatedAt. */
export async function updateProject(
  db: Kysely<Database>,
  id: string,
  patch: ProjectPatch,
): Promise<ProjectRecord | undefined> {
  const set: Updateable<ProjectsTable> = {};
  if (patch.name !== undefined) set.name = checkName(patch.name, 'project name');
  if (patch.description !== undefined) {
    set.description = checkNullableBoundedText(patch.description, 'project description', LIMITS.description);
  }
  if (patch.template !== undefined) {
    set.template = checkNullableBoundedText(patch.template, 'project template', LIMITS.label);
  }
  if (patch.sandboxId !== undefined) {
    set.sandbox_id = checkNullableBoundedText(patch.sandboxId, 'project sandbox id', LIMITS.label);
  }
  if (patch.previewUrl !== undefined) {
    set.preview_url = checkNullableBoundedText(patch.previewUrl, 'project preview URL', LIMITS.url);
  }
  if (patch.thumbnail !== undefined) {
    set.thumbnail = checkNullableBoundedText(patch.thumbnail, 'project thumbnail', LIMITS.thumbnail);
  }
  if (patch.network !== undefined) {
    if (typeof patch.network !== 'boolean')
      throw new InvalidInputError('Invalid project network: expected true or false');
    set.network = patch.network ? 1 : 0;
  }
  if (Object.keys(set).length === 0) return getProject(db, id);

  set.updated_at = Date.now();
  const row = await db
    .updateTable('projects')
    .set(set)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toProjectRecord(row);
}

/**
 * Deletes the project and, in the same transaction, its sessions (which cascade to their messages,
 * events and usage). Returns false, deleting nothing, when there is no such project. Files in the
 * workspace are the caller's to remove.
 */
export async function deleteProject(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
    if (deleted.numDeletedRows === 0n) return false;
    await trx.deleteFrom('sessions').where('project_id', '=', id).execute();
    return true;
  });
}

/** Sets updatedAt to now (activity in one of its sessions, say); a missing project is a no-op. */
export async function touchProject(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('projects').set({ updated_at: Date.now() }).where('id', '=', id).execute();
}
