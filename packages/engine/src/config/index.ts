export {
  ConfigError,
  loadConfig,
  mergeConfigs,
  projectConfigPath,
  readConfigFile,
  restrictProjectConfig,
  userConfigPath,
} from './load.ts';
export type { AuraConfig, ModelPrice, PermissionRule, ProviderSettings } from './schema.ts';
export { configSchema, permissionRule } from './schema.ts';
