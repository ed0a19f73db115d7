import type { ReactNode } from 'react';
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';

export interface WorkspaceSlots {
  chat: ReactNode;
  files: ReactNode;
  editor: ReactNode;
  preview: ReactNode;
  terminal: ReactNode;
}

const separatorClass =
  'relative bg-zinc-200 transition-colors hover:bg-indigo-400 focus-visible:bg-indigo-500 focus-visible:outline-none data-[separator=active]:bg-indigo-500 dark:bg-zinc-800';

/**
 * The workspace's resizable frame: chat on the left; files, editor and preview over the terminal
 * on the right. Layouts are remembered per browser. The panels themselves are slots.
 */
export function WorkspaceLayout({ chat, files, editor, preview, terminal }: WorkspaceSlots) {
  const outer = useDefaultLayout({ id: 'aura-workspace', storage: localStorage });
  const right = useDefaultLayout({ id: 'aura-workspace-right', storage: localStorage });
  const top = useDefaultLayout({ id: 'aura-workspace-top', storage: localStorage });
  return (
    <Group orientation="horizontal" className="min-h-0 flex-1" {...persisted(outer)}>
      <Panel id="chat" defaultSize="32%" minSize="280px">
        <PanelFrame label="Chat">{chat}</PanelFrame>
      </Panel>
      <Separator className={`w-px ${separatorClass}`} />
      <Panel id="work" minSize="30%">
        <Group orientation="vertical" {...persisted(right)}>
          <Panel id="top" minSize="20%">
            <Group orientation="horizontal" {...persisted(top)}>
              <Panel id="files" defaultSize="22%" minSize="160px" collapsible>
                <PanelFrame label="Files">{files}</PanelFrame>
              </Panel>
              <Separator className={`w-px ${separatorClass}`} />
              <Panel id="editor" defaultSize="40%" minSize="15%">
                <PanelFrame label="Editor">{editor}</PanelFrame>
              </Panel>
              <Separator className={`w-px ${separatorClass}`} />
              <Panel id="preview" defaultSize="38%" minSize="15%" collapsible>
                <PanelFrame label="Preview">{preview}</PanelFrame>
              </Panel>
            </Group>
          </Panel>
          <Separator className={`h-px ${separatorClass}`} />
          <Panel id="terminal" defaultSize="28%" minSize="80px" collapsible>
            <PanelFrame label="Terminal">{terminal}</PanelFrame>
          </Panel>
        </Group>
      </Panel>
    </Group>
  );
}

const persisted = ({ defaultLayout, onLayoutChanged }: ReturnType<typeof useDefaultLayout>) => ({
  defaultLayout,
  onLayoutChanged,
});

/** A landmark per panel, so screen-reader users can jump between them. */
function PanelFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    <section aria-label={label} className="flex h-full min-h-0 flex-col">
      {children}
    </section>
  );
}

/** What an empty slot shows until its panel is built. */
export function PanelPlaceholder({ title, note }: { title: string; note: string }) {
  return (
    <div className="flex h-full flex-col">
      <h2 className="border-b border-zinc-200 px-3 py-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:border-zinc-800">
        {title}
      </h2>
      <p className="m-auto max-w-56 p-4 text-center text-xs text-zinc-500">{note}</p>
    </div>
  );
}
