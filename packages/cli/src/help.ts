export const mainHelp = `aura — an AI coding agent for your terminal and browser

Usage:
  aura chat [--dir DIR] [--model P/M] [--continue] [--session ID] [--server URL]
                                   the interactive terminal UI (aura chat --help)
  aura run PROMPT [options]        run one agent turn headlessly and print the result
  aura serve [--port N] [--host H] start the server (REST, WebSocket, SSE, accounts, web IDE)
  aura session list|show|resume|export|import|delete|search
                                   manage saved sessions (aura session --help)
  aura config get|set|unset|list|path
                                   read and change settings (aura config --help)
  aura auth login|status|logout    sign in to an Aura server for aura chat --server
  aura mcp add|list|get|remove|serve
                                   MCP servers whose tools the agent may use; serve Aura's own
  aura models [--format text|json] list providers, whether they are configured, and models
  aura --version | --help

Run options:
  --dir DIR          workspace the agent works in (default: current directory; created if missing)
  --model P/M        provider/model, e.g. anthropic/claude-sonnet-4-5, openai/gpt-5,
                     ollama/qwen2.5-coder, openai-compatible/<model>, or script:<file.json>
  --format text|json text streams the answer; json prints one event envelope per line
  --yes              approve every tool call (headless runs)
  --session ID       continue an existing session
  --max-steps N      stop after N model steps (default 15)
  --data DIR         where sessions are stored (default $XDG_DATA_HOME/aura)

Everywhere:
  --verbose          readable debug logs on stderr (anywhere on the line); every command also
                     logs to $XDG_STATE_HOME/aura/aura.log (rotated, secrets redacted)

Providers read their keys from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY,
GOOGLE_GENERATIVE_AI_API_KEY, OPENROUTER_API_KEY, OPENAI_COMPATIBLE_BASE_URL, OLLAMA_HOST, …)
or from ~/.config/aura/config.yaml. Settings: flags > AURA_MODEL, AURA_MAX_STEPS, … > the
project's .aura/config.yaml > ~/.config/aura/config.yaml > defaults. AURA_LOG_LEVEL sets the
log level; DATABASE_URL switches storage to PostgreSQL.

Exit codes: 0 success, 1 agent or provider error, 2 usage error, 130 cancelled (Ctrl-C).
`;
