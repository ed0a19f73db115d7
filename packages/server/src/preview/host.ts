/**
 * Preview origins: project `prj_0mc4x2k9a000f3b19c07e2` is served on
 * `p-prj-0mc4x2k9a000f3b19c07e2.<domain>` (a DNS label cannot hold `_`), with the IDE's scheme
 * and port. Each project gets its own origin, so its app shares no cookies or storage with the
 * IDE or with other previews.
 */

const idPattern = /^([a-z]+)_([0-9a-z]+)$/;
const labelPattern = /^p-([a-z]+)-([0-9a-z]+)$/;

/** The host label of a project's preview; undefined for an id that cannot be one. */
export function previewLabel(projectId: string): string | undefined {
  const match = idPattern.exec(projectId);
  return match ? `p-${match[1]}-${match[2]}` : undefined;
}

/** `host[:port]` (or `[v6]:port`) → the lower-cased host name. */
export function hostnameOf(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).replace(/\.$/, '');
}

/**
 * What a Host header names: undefined when it is not a preview host (the request is for the IDE
 * and API); `{ projectId: undefined }` for a `p-…` host under the preview domain that names no
 * possible project (answered with a 404 by the preview, never by the API).
 */
export function previewHostOf(
  hostHeader: string | undefined,
  domain: string,
): { projectId: string | undefined } | undefined {
  if (!hostHeader) return undefined;
  const hostname = hostnameOf(hostHeader);
  const suffix = `.${domain}`;
  if (!hostname.endsWith(suffix)) return undefined;
  const label = hostname.slice(0, -suffix.length);
  if (!label.startsWith('p-')) return undefined;
  const match = labelPattern.exec(label);
  return { projectId: match ? `${match[1]}_${match[2]}` : undefined };
}

/** `http://p-prj-….localhost:3000`: the IDE's scheme and port on the project's preview host. */
export function previewOrigin(baseUrl: string, domain: string, projectId: string): string {
  const label = previewLabel(projectId);
  if (!label) throw new Error(`Project id ${projectId} cannot be a host name.`);
  const base = new URL(baseUrl);
  return `${base.protocol}//${label}.${domain}${base.port ? `:${base.port}` : ''}`;
}
