export { updateConfigFile } from './edit.ts';
export {
  ConfigError,
  describeIssues,
  loadConfig,
  mergeConfigs,
  projectConfigPath,
  readConfigFile,
  restrictProjectConfig,
  userConfigPath,
} from './load.ts';
export type { AuraConfig, McpServerConfig, ModelPrice, PermissionRule, ProviderSettings } from './schema.ts';
export { configSchema, mcpServerConfig, mcpServerName, permissionRule } from './schema.ts';
