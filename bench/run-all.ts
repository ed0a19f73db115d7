// Runs every benchmark in turn; each prints its own table.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = [
  'cli-startup.ts',
  'tui.ts',
  'tui-render.ts',
  'first-event.ts',
  'session-load.ts',
  'remote-session-load.ts',
  'edit-engine.ts',
  'streaming.ts',
  'sandbox.ts',
  'template.ts',
  'preview.ts',
  'web-bundle.ts',
  'web-interactive.ts',
];
let failed = 0;
for (const bench of benches) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(bench, import.meta.url))], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed ? 1 : 0;
