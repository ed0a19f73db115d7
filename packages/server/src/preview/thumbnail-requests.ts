import { BlockList, isIP } from 'node:net';

/**
 * Which requests the thumbnail browser lets a preview make. The app's code runs on the server's
 * host there, not in its sandbox: it may load its own origin and public sites (CDN scripts,
 * fonts, images) but not loopback, private or link-local addresses, `localhost` names, the
 * IDE, or other previews, which the sandbox's network rules would otherwise be bypassed to reach.
 */

const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  internal.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

export interface RequestScope {
  /** The preview's own origin: always allowed. */
  origin: string;
  /** Host names whose subdomains (and themselves) are refused: the preview domain, the IDE's host. */
  refusedDomains: string[];
}

export function allowedRequest(target: string, scope: RequestScope): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.origin === scope.origin) return true;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.protocol === 'data:';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isInternalAddress(host)) return false;
  const names = ['localhost', ...scope.refusedDomains];
  return !names.some((name) => host === name || host.endsWith(`.${name}`));
}

function isInternalAddress(host: string): boolean {
  const family = isIP(host);
  if (family === 0) return false;
  return internal.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
