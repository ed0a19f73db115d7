/** What the builder needs of a template's aura.json. */
export interface BuildManifest {
  name: string;
  install?: string;
  dev?: string;
  check?: string;
}

/** The builder's reach into the world outside the agent loop, provided by the CLI or the server. */
export interface BuilderHooks {
  /** Makes sure the workspace holds a project (copying a template picked from the request when empty). */
  prepareWorkspace(opts: { description: string; signal: AbortSignal }): Promise<BuildManifest>;
  /** Starts or restarts the dev server; resolves with its URL once it answers HTTP. */
  startServer(manifest: BuildManifest, signal: AbortSignal): Promise<{ url: string }>;
}
