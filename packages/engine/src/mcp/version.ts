import enginePackage from '../../package.json' with { type: 'json' };

/** How Aura introduces itself to MCP servers and clients. */
export const auraImplementation = {
  name: 'aura',
  version: enginePackage.version,
};
