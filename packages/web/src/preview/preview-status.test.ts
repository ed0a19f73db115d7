import { describe, expect, it } from 'vitest';
import type { PreviewInfo, PreviewStatus } from './preview-api.ts';
import { previewStatusView } from './preview-status.ts';

const info = (status: PreviewStatus, extra: Partial<PreviewInfo> = {}): PreviewInfo => ({
  url: 'http://p-prj-1.localhost:3000/?aura_preview_token=t',
  status,
  ...extra,
});

describe('preview status', () => {
  it('shows the app only while it runs, and polls slowly then', () => {
    const view = previewStatusView(info('running'), false);
    expect(view).toMatchObject({
      label: 'Running',
      tone: 'ok',
      showApp: true,
      showLogs: false,
      action: 'Restart',
    });
    expect(view.pollMs).toBe(15_000);
  });

  it('follows installing and starting closely, with their logs and no button', () => {
    for (const status of ['installing', 'starting'] as const) {
      const view = previewStatusView(info(status), false);
      expect(view).toMatchObject({
        tone: 'busy',
        showApp: false,
        showLogs: true,
        action: null,
        pollMs: 1_000,
      });
    }
    expect(previewStatusView(info('installing'), false).detail).toMatch(/installing the dependencies/i);
  });

  it('offers to start a stopped preview', () => {
    expect(previewStatusView(info('stopped'), false)).toMatchObject({
      label: 'Stopped',
      tone: 'idle',
      action: 'Start preview',
      showLogs: false,
    });
  });

  it('says how the dev server crashed and offers a restart with the logs', () => {
    expect(previewStatusView(info('crashed', { exitCode: 1 }), false)).toMatchObject({
      label: 'Crashed',
      tone: 'bad',
      detail: 'The dev server exited with code 1.',
      showLogs: true,
      action: 'Restart',
    });
    expect(previewStatusView(info('crashed', { exitCode: null }), false).detail).toMatch(/signal/);
    expect(previewStatusView(info('crashed'), false).detail).toMatch(/unexpectedly/);
  });

  it('passes on why a preview could not start', () => {
    const view = previewStatusView(info('failed', { error: 'No aura.json in the project.' }), false);
    expect(view).toMatchObject({ tone: 'bad', detail: 'No aura.json in the project.', action: 'Try again' });
    expect(previewStatusView(info('failed'), false).detail).toBe('The preview could not start.');
  });

  it('shows a start in flight as starting, whatever the last answer said', () => {
    expect(previewStatusView(info('crashed'), true)).toMatchObject({ label: 'Starting', action: null });
    expect(previewStatusView(undefined, false)).toMatchObject({ label: 'Checking', showApp: false });
  });
});
