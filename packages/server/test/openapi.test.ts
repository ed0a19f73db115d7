import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { routeDocs } from '../src/openapi.ts';
import { version } from '../src/version.ts';
import { api, backendNames, signUp, startTestServer, type TestServer, type TestUser } from './helpers.ts';

const httpMethods = ['get', 'post', 'put', 'patch', 'delete'];

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  security?: unknown[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description: string }>;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  components: { securitySchemes: Record<string, { type: string }> };
  security: Record<string, unknown[]>[];
  paths: Record<string, Record<string, Operation>>;
}

/** `/api/projects/:id/files/*` → `/api/projects/{id}/files/{path}` (OpenAPI spelling). */
const toDocPath = (honoPath: string) => honoPath.replace(/:(\w+)/g, '{$1}').replace(/\/\*$/, '/{path}');

describe.each(backendNames)('the API description on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    server = await startTestServer(backend);
    user = await signUp(server, 'Reader');
    const response = await api<OpenApiDocument>(server.anonymous, 'GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    doc = response.body;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('documents every route the app registers (the document cannot drift from the code)', () => {
    const documented = new Set(routeDocs.map((r) => `${r.method} ${r.path}`));
    const registered = createApp(server.server.context).routes.filter((r) => r.method !== 'ALL');
    expect(registered.length).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const route of registered) {
      const method = route.method.toLowerCase();
      const path = toDocPath(route.path);
      if (documented.has(`${method} ${path}`)) continue;
      // A wildcard handed to Better Auth (`/api/auth/*`, the sign-in limiter): its documented
      // routes live under the prefix.
      const prefix = route.path.endsWith('/*') ? route.path.slice(0, -1) : undefined;
      if (prefix && routeDocs.some((r) => r.method === method && r.path.startsWith(prefix))) continue;
      missing.push(`${route.method} ${route.path}`);
    }
    expect(missing).toEqual([]);
  });

  it('serves every documented route (none answers "No route")', async () => {
    const fill = (path: string) =>
      path
        .replace('{id}', 'x_missing')
        .replace('{path}', 'a.txt')
        .replace('{requestId}', 'req_missing')
        .replace('{provider}', 'anthropic');
    for (const route of routeDocs) {
      const method = route.method.toUpperCase();
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      // Cookie and Origin, as the IDE sends them, so Better Auth's own routes accept the call too.
      const response = await api<{ error?: { message?: string } }>(user, method, fill(route.path), body, {
        via: 'cookie',
      });
      expect(response.text, `${method} ${route.path}`).not.toMatch(/No route for/);
      if (route.path.startsWith('/api/auth/'))
        expect(response.status, `${method} ${route.path}`).not.toBe(404);
      expect(response.status, `${method} ${route.path}: ${response.text}`).toBeLessThan(500);
    }
  });

  it('is a well-formed OpenAPI 3.1 document', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe('Aura API');
    expect(doc.info.version).toBe(version);
    expect(doc.servers[0]?.url).toBe(server.options.baseUrl);
    const schemes = Object.keys(doc.components.securitySchemes);
    expect(schemes.sort()).toEqual(['cookie', 'token']);
    for (const requirement of doc.security) {
      for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
    }

    const operations: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        expect(httpMethods).toContain(method);
        operations.push(`${method} ${path}`);
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const response of Object.values(op.responses))
          expect(typeof response.description).toBe('string');
        // Every path template is a declared, required path parameter, and nothing else is.
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect(declared.map((p) => p.name).sort()).toEqual([...templated].sort());
        for (const p of declared) expect(p.required).toBe(true);
        if (op.security) {
          for (const requirement of op.security) {
            for (const name of Object.keys(requirement as object)) expect(schemes).toContain(name);
          }
        }
        if (op.requestBody) {
          const schema = op.requestBody.content['application/json']?.schema;
          expect(schema?.type, `${method} ${path} body`).toBe('object');
        }
      }
    }
    expect(operations.sort()).toEqual(routeDocs.map((r) => `${r.method} ${r.path}`).sort());
    const publicOps = routeDocs.filter((r) => r.public).map((r) => doc.paths[r.path]?.[r.method]?.security);
    for (const security of publicOps) expect(security).toEqual([]);
  });

  it('describes request bodies with the same rules the handlers enforce', async () => {
    const bodyOf = (method: string, path: string) =>
      doc.paths[path]?.[method]?.requestBody?.content['application/json']?.schema as {
        required?: string[];
        properties: Record<string, unknown>;
      };
    expect(bodyOf('post', '/api/projects').required).toEqual(['name']);
    expect(bodyOf('post', '/api/sessions/{id}/messages').required).toEqual(['text']);
    expect(bodyOf('post', '/api/projects/{id}/exec').required).toEqual(['command']);
    expect(Object.keys(bodyOf('put', '/api/projects/{id}/files/{path}').properties).sort()).toEqual(
      ['content', 'encoding'].sort(),
    );
    // …and the server really refuses what the document says is required.
    const refused = await api<{ error: { issues: { path: string }[] } }>(user, 'POST', '/api/projects', {});
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues.map((i) => i.path)).toEqual(['name']);
  });
});
