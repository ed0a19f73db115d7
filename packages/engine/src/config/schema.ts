import { z } from 'zod';

const permissionAction = z.enum(['allow', 'ask', 'deny']);

export const permissionRule = z.object({
  tool: z.string().min(1).describe('tool name, or * for every tool'),
  pattern: z.string().default('*').describe('glob matched against the path, command or URL'),
  action: permissionAction,
});
export type PermissionRule = z.infer<typeof permissionRule>;

const providerSettings = z
  .object({
    /** For named endpoints: which wire format they speak. */
    type: z.enum(['openai-compatible', 'openai', 'anthropic']).optional(),
    apiKey: z.string().min(1).optional(),
    /** Name of an environment variable holding the key, so the file itself holds no secret. */
    apiKeyEnv: z.string().min(1).optional(),
    baseURL: z.string().url().optional(),
    /** openai only: the Responses API (default) or Chat Completions. */
    api: z.enum(['responses', 'chat']).optional(),
    /** azure: resource name; bedrock: region. */
    resourceName: z.string().optional(),
    region: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    models: z.array(z.string()).optional(),
  })
  .strict();
export type ProviderSettings = z.infer<typeof providerSettings>;

/** USD per million tokens. */
export const modelPrice = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cachedInput: z.number().nonnegative().optional(),
  })
  .strict();
export type ModelPrice = z.infer<typeof modelPrice>;

/** Milliseconds an MCP server gets to answer one call before the call fails. */
const mcpTimeout = z.number().int().min(100).max(3_600_000).optional();

/** An MCP server the agent may use; its tools appear as `mcp__<name>__<tool>`. */
export const mcpServerConfig = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('stdio'),
      command: z.string().min(1),
      args: z.array(z.string()).optional(),
      env: z.record(z.string(), z.string()).optional(),
      cwd: z.string().min(1).optional(),
      timeoutMs: mcpTimeout,
      enabled: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('http'),
      url: z.string().url(),
      headers: z.record(z.string(), z.string()).optional(),
      timeoutMs: mcpTimeout,
      enabled: z.boolean().optional(),
    })
    .strict(),
]);
export type McpServerConfig = z.infer<typeof mcpServerConfig>;

/**
 * Server names become part of tool names, which providers limit to 64 letters, digits, _ and -:
 * short enough to leave room for the tool's own name, and no `__`, which separates the parts.
 */
export const mcpServerName = z
  .string()
  .max(32, 'use at most 32 characters')
  .regex(/^[A-Za-z0-9-]+(_[A-Za-z0-9-]+)*$/, 'use letters, digits, - and single _ only');

export const configSchema = z
  .object({
    model: z.string().min(1).optional(),
    maxSteps: z.number().int().min(1).max(500).optional(),
    providers: z.record(z.string(), providerSettings).optional(),
    permissions: z.array(permissionRule).optional(),
    pricing: z.record(z.string(), modelPrice).optional(),
    /** Context window in tokens per model id, for models the built-in table doesn't know. */
    contextWindows: z.record(z.string(), z.number().int().positive()).optional(),
    mcp: z.record(mcpServerName, mcpServerConfig).optional(),
    webFetch: z.object({ allowPrivateNetwork: z.boolean().optional() }).strict().optional(),
    webSearch: z
      .object({
        provider: z.enum(['brave', 'tavily']),
        apiKey: z.string().min(1).optional(),
        apiKeyEnv: z.string().min(1).optional(),
        baseUrl: z.string().url().optional(),
      })
      .strict()
      .optional(),
    /** `aura serve` settings; flags and environment variables take precedence. */
    server: z
      .object({
        port: z.number().int().min(0).max(65_535).optional(),
        host: z.string().min(1).optional(),
        baseUrl: z.string().url().optional(),
        trustedOrigins: z.array(z.string().url()).optional(),
      })
      .strict()
      .optional(),
    retry: z
      .object({
        maxRetries: z.number().int().min(0).max(20).optional(),
        stallTimeoutMs: z.number().int().min(1000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type AuraConfig = z.infer<typeof configSchema>;
