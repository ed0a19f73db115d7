import { readFileSync } from 'node:fs';

/** How Aura introduces itself to MCP servers and clients. */
export const auraImplementation = {
  name: 'aura',
  version: JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string,
};
