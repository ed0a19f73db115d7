import { useEffect, useState } from 'react';
import { navigate } from '../../router/router.ts';
import { Button } from '../../ui/button.tsx';
import { Dialog } from '../../ui/dialog.tsx';
import { onMac } from './platform.ts';
import { isTypingTarget, matchesKeys, shortcutKeys } from './registry.ts';
import { ShortcutList } from './shortcut-list.tsx';

/** The shortcuts that work on every signed-in page, and the dialog `?` opens. */
export function GlobalShortcuts() {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      if (matchesKeys(event, shortcutKeys('open-settings'), onMac)) {
        event.preventDefault();
        navigate('/settings');
        return;
      }
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (!isTypingTarget(target) && matchesKeys(event, shortcutKeys('show-shortcuts'), onMac)) {
        event.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={() => setOpen(false)}>
      <ShortcutList />
      <div className="flex justify-end">
        <Button onClick={() => setOpen(false)} autoFocus>
          Close
        </Button>
      </div>
    </Dialog>
  );
}
