/**
 * How the server's own Chromium reaches a preview. Over plain HTTP it talks to this server
 * directly: the link keeps its preview host (which names the project) but gets the port the
 * server listens on, and `p-*.<domain>` resolves to the listen address, so neither DNS for the
 * preview domain nor a proxy in front of the server is needed. Over HTTPS the public link is used
 * as it is: TLS ends in front of the server, and the preview cookie there is `Secure;
 * Partitioned`, which Chromium refuses on a plain-HTTP origin.
 */

/** The address the server listens on. */
export interface SelfAddress {
  host: string;
  port: number;
}

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

/** A host this machine can connect to: the wildcard addresses become loopback. */
export function connectableHost(listenHost: string): string {
  return ANY_ADDRESS.has(listenHost) ? '127.0.0.1' : listenHost;
}

/** The `--host-resolver-rules` for the thumbnail browser; undefined over HTTPS. */
export function selfHostRules(baseUrl: string, domain: string, self: SelfAddress): string | undefined {
  if (new URL(baseUrl).protocol !== 'http:') return undefined;
  const host = connectableHost(self.host);
  return `MAP p-*.${domain} ${host.includes(':') ? `[${host}]` : host}`;
}

/** The preview link rewritten to reach this server directly (see above); unchanged over HTTPS. */
export function selfLink(link: string, self: SelfAddress): string {
  const url = new URL(link);
  if (url.protocol !== 'http:') return link;
  url.port = String(self.port);
  return url.toString();
}
