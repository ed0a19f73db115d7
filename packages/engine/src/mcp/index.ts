export {
  type ConnectMcpOptions,
  connectMcpServers,
  DEFAULT_CALL_TIMEOUT_MS,
  type McpConnections,
  type McpServerStatus,
} from './connect.ts';
export { type ServeWorkspaceOptions, serveWorkspaceMcp } from './serve.ts';
