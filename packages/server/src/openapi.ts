import { messagePart, projectInfo, sessionInfo } from '@aura/protocol';
import { z } from 'zod';
import {
  deviceCodeBody,
  deviceCodeResponse,
  deviceRequestInfo,
  deviceTokenBody,
  userCodeBody,
} from './auth/device-routes.ts';
import type { ServerContext } from './context.ts';
import { previewInfoSchema, startPreviewBody } from './preview/routes.ts';
import { checkpointDiffSchema, checkpointSchema, restoreResultSchema } from './routes/checkpoints.ts';
import { execBody, makeFolderBody, moveFileBody, putFileBody } from './routes/files.ts';
import { createProjectBody, updateProjectBody } from './routes/projects.ts';
import { setProviderKeyBody, testProviderBody } from './routes/providers.ts';
import {
  compactResult,
  createSessionBody,
  permissionReplyBody,
  postMessageBody,
  updateSessionBody,
} from './routes/sessions.ts';
import { updateSettingsBody, userSettings } from './routes/settings.ts';
import { templateList } from './routes/templates.ts';
import { createTokenBody } from './routes/tokens.ts';
import { importFolderBody } from './routes/transfer.ts';
import { version } from './version.ts';

interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Routes reachable without signing in. */
  public?: boolean;
}

const page = (item: z.ZodType) =>
  z.object({ items: z.array(item), total: z.number().optional(), limit: z.number() });

/** Every HTTP route, documented from the same zod schemas the handlers validate with. */
export const routeDocs: RouteDoc[] = [
  { method: 'get', path: '/api/health', summary: 'Liveness and database check', tag: 'ops', public: true },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', tag: 'ops', public: true },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', tag: 'ops', public: true },
  {
    method: 'post',
    path: '/api/auth/sign-up/email',
    summary: 'Create an account (Better Auth)',
    tag: 'auth',
    public: true,
  },
  {
    method: 'post',
    path: '/api/auth/sign-in/email',
    summary: 'Sign in (Better Auth); sets the session cookie',
    tag: 'auth',
    public: true,
  },
  {
    method: 'post',
    path: '/api/auth/sign-out',
    summary: 'Sign out (Better Auth)',
    tag: 'auth',
    public: true,
  },
  {
    method: 'get',
    path: '/api/auth/providers',
    summary: 'Which sign-in methods are enabled',
    tag: 'auth',
    public: true,
  },
  { method: 'get', path: '/api/me', summary: 'The signed-in user', tag: 'auth' },
  {
    method: 'get',
    path: '/api/settings',
    summary: "The user's preferences (default model, theme)",
    tag: 'auth',
    response: userSettings,
  },
  {
    method: 'put',
    path: '/api/settings',
    summary: "Update the user's preferences",
    tag: 'auth',
    body: updateSettingsBody,
    response: userSettings,
  },
  { method: 'get', path: '/api/tokens', summary: 'List personal API tokens', tag: 'auth' },
  {
    method: 'post',
    path: '/api/tokens',
    summary: 'Create a personal API token (shown once)',
    tag: 'auth',
    body: createTokenBody,
  },
  { method: 'delete', path: '/api/tokens/{id}', summary: 'Revoke a token', tag: 'auth' },
  {
    method: 'delete',
    path: '/api/me/token',
    summary: 'Revoke the API token this request is authenticated with (CLI logout)',
    tag: 'auth',
  },
  {
    method: 'post',
    path: '/api/device/code',
    summary: 'Start a device login (RFC 8628): a device code for the client, a user code for the person',
    tag: 'auth',
    body: deviceCodeBody,
    response: deviceCodeResponse,
    public: true,
  },
  {
    method: 'post',
    path: '/api/device/token',
    summary:
      'Poll a device login: authorization_pending, slow_down, expired_token, access_denied, or (once) a personal API token',
    tag: 'auth',
    body: deviceTokenBody,
    public: true,
  },
  {
    method: 'post',
    path: '/api/device/lookup',
    summary: 'The pending device login with this user code',
    tag: 'auth',
    body: userCodeBody,
    response: deviceRequestInfo,
  },
  {
    method: 'post',
    path: '/api/device/approve',
    summary: 'Approve a device login as yourself',
    tag: 'auth',
    body: userCodeBody,
  },
  {
    method: 'post',
    path: '/api/device/deny',
    summary: 'Deny a device login',
    tag: 'auth',
    body: userCodeBody,
  },
  {
    method: 'get',
    path: '/api/projects',
    summary: 'List projects (limit, offset, search)',
    tag: 'projects',
    response: page(projectInfo),
  },
  {
    method: 'post',
    path: '/api/projects',
    summary: 'Create a project (with `template`: its files, dependencies linked from the cache)',
    tag: 'projects',
    body: createProjectBody,
    response: projectInfo,
  },
  {
    method: 'get',
    path: '/api/templates',
    summary: 'Project templates (name, description; the default first)',
    tag: 'projects',
    response: templateList,
  },
  {
    method: 'get',
    path: '/api/projects/{id}',
    summary: 'Get a project',
    tag: 'projects',
    response: projectInfo,
  },
  {
    method: 'patch',
    path: '/api/projects/{id}',
    summary: 'Rename or describe a project',
    tag: 'projects',
    body: updateProjectBody,
    response: projectInfo,
  },
  {
    method: 'delete',
    path: '/api/projects/{id}',
    summary: 'Delete a project, its sessions and workspace',
    tag: 'projects',
  },
  { method: 'get', path: '/api/projects/{id}/files', summary: 'Workspace file tree', tag: 'files' },
  {
    method: 'get',
    path: '/api/projects/{id}/files/{path}',
    summary: 'Read a file (utf8 or base64)',
    tag: 'files',
  },
  {
    method: 'put',
    path: '/api/projects/{id}/files/{path}',
    summary: 'Write a file',
    tag: 'files',
    body: putFileBody,
  },
  {
    method: 'delete',
    path: '/api/projects/{id}/files/{path}',
    summary: 'Delete a file or directory',
    tag: 'files',
  },
  {
    method: 'post',
    path: '/api/projects/{id}/folders',
    summary: 'Create a folder (and its parents); 409 if the path exists',
    tag: 'files',
    body: makeFolderBody,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/files/move',
    summary: 'Rename or move a file',
    tag: 'files',
    body: moveFileBody,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/exec',
    summary: "Run a command in the project's sandbox",
    tag: 'files',
    body: execBody,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/preview',
    summary:
      "Start or restart the project's dev server (aura.json; install first without node_modules); waits up to 60 s for it to answer. `url` is the preview origin with a 10-minute access token",
    tag: 'preview',
    body: startPreviewBody,
    response: previewInfoSchema,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/preview',
    summary: 'Preview status, a fresh `url` and the last lines of the install and dev server logs',
    tag: 'preview',
    response: previewInfoSchema,
  },
  {
    method: 'delete',
    path: '/api/projects/{id}/preview',
    summary: "Stop the project's dev server",
    tag: 'preview',
    response: previewInfoSchema,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/checkpoints',
    summary: 'Checkpoints (one per agent turn that changed files), newest first (limit)',
    tag: 'checkpoints',
    response: z.object({ items: z.array(checkpointSchema), limit: z.number() }),
  },
  {
    method: 'get',
    path: '/api/projects/{id}/checkpoints/{checkpointId}/diff',
    summary: 'Unified diff of a checkpoint against the one before (capped) and per-file stats',
    tag: 'checkpoints',
    response: checkpointDiffSchema,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/checkpoints/{checkpointId}/restore',
    summary:
      'Make the workspace match a checkpoint (itself recorded, so undoable); 409 while a run is active',
    tag: 'checkpoints',
    response: restoreResultSchema,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/export',
    summary: 'Download the workspace as a zip (without node_modules, .git, .aura, caches)',
    tag: 'projects',
  },
  {
    method: 'post',
    path: '/api/projects/import',
    summary:
      'New project from a zip (Content-Type: application/zip, ?name=) or, on a personal server, a local folder (JSON)',
    tag: 'projects',
    body: importFolderBody,
    response: projectInfo,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/sessions',
    summary: "List a project's sessions",
    tag: 'sessions',
    response: page(sessionInfo),
  },
  {
    method: 'post',
    path: '/api/projects/{id}/sessions',
    summary: 'Create a session',
    tag: 'sessions',
    body: createSessionBody,
    response: sessionInfo,
  },
  {
    method: 'get',
    path: '/api/sessions/{id}',
    summary: 'Get a session',
    tag: 'sessions',
    response: sessionInfo,
  },
  {
    method: 'patch',
    path: '/api/sessions/{id}',
    summary: "Set the model of the session's next runs (400 invalid_model when it cannot be resolved)",
    tag: 'sessions',
    body: updateSessionBody,
    response: sessionInfo,
  },
  { method: 'delete', path: '/api/sessions/{id}', summary: 'Delete a session', tag: 'sessions' },
  {
    method: 'get',
    path: '/api/sessions/{id}/messages',
    summary: 'Messages (limit, before, after)',
    tag: 'sessions',
    response: page(z.object({ parts: z.array(messagePart) }).passthrough()),
  },
  {
    method: 'post',
    path: '/api/sessions/{id}/messages',
    summary: 'Send a message: starts a run (202)',
    tag: 'sessions',
    body: postMessageBody,
  },
  { method: 'post', path: '/api/sessions/{id}/cancel', summary: 'Cancel the running turn', tag: 'sessions' },
  {
    method: 'post',
    path: '/api/sessions/{id}/compact',
    summary: 'Prune old tool outputs from what the model is sent next (409 during a run)',
    tag: 'sessions',
    response: compactResult,
  },
  {
    method: 'get',
    path: '/api/sessions/{id}/state',
    summary: 'Session state and whether a run is active',
    tag: 'sessions',
  },
  {
    method: 'post',
    path: '/api/sessions/{id}/permissions/{requestId}',
    summary: 'Answer a permission request',
    tag: 'sessions',
    body: permissionReplyBody,
  },
  {
    method: 'get',
    path: '/api/sessions/{id}/events',
    summary: 'Server-sent events of the session log (Last-Event-ID or ?since=N)',
    tag: 'streaming',
  },
  {
    method: 'post',
    path: '/api/agent/stream',
    summary: 'AI SDK UI-message stream (DefaultChatTransport / useChat)',
    tag: 'streaming',
  },
  {
    method: 'get',
    path: '/api/providers',
    summary: 'Providers and your saved keys (hints only)',
    tag: 'providers',
  },
  {
    method: 'put',
    path: '/api/providers/{provider}',
    summary: 'Save a provider key (encrypted at rest)',
    tag: 'providers',
    body: setProviderKeyBody,
  },
  { method: 'delete', path: '/api/providers/{provider}', summary: 'Remove a saved key', tag: 'providers' },
  {
    method: 'post',
    path: '/api/providers/{provider}/test',
    summary: 'Test a key with a one-token call',
    tag: 'providers',
    body: testProviderBody,
  },
  { method: 'get', path: '/api/models', summary: 'Models available to you', tag: 'providers' },
];

const toJson = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' });

export function openApiDocument(ctx: Pick<ServerContext, 'options'>) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routeDocs) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      summary: route.summary,
      tags: [route.tag],
      ...(params.length ? { parameters: params } : {}),
      ...(route.public ? { security: [] } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toJson(route.body, 'input') } },
            },
          }
        : {}),
      responses: {
        '200': route.response
          ? {
              description: 'OK',
              content: { 'application/json': { schema: toJson(route.response, 'output') } },
            }
          : { description: 'OK' },
        '4XX': { description: 'Error: { error: { code, message, issues? } }' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Aura API',
      version,
      description: 'Event streams: WebSocket /ws/{projectId} and SSE — see docs/protocol.md.',
    },
    servers: [{ url: ctx.options.baseUrl }],
    components: {
      securitySchemes: {
        cookie: { type: 'apiKey', in: 'cookie', name: 'aura.session_token' },
        token: { type: 'http', scheme: 'bearer', description: 'Personal API token aura_pat_…' },
      },
    },
    security: [{ cookie: [] }, { token: [] }],
    paths,
  };
}
