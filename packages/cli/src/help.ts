export const mainHelp = `aura — an AI coding agent for your terminal and browser

Usage:
  aura serve [--port N] [--host H] start the server (REST, WebSocket, SSE, accounts)
  aura run PROMPT [options]        run one agent turn headlessly and print the result
  aura models [--format text|json] list providers, whether they are configured, and models
  aura session list                list saved sessions
  aura session show ID             print a session's conversation
  aura session export ID [--format json|md]
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

Providers read their keys from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY,
GOOGLE_GENERATIVE_AI_API_KEY, OPENROUTER_API_KEY, OPENAI_COMPATIBLE_BASE_URL, OLLAMA_HOST, …)
or from ~/.config/aura/config.yaml. DATABASE_URL switches storage to PostgreSQL.

Exit codes: 0 success, 1 agent or provider error, 2 usage error, 130 cancelled (Ctrl-C).
`;
