import type { MessageView, PermissionView, SessionView, TimelineItem, ToolCallView } from './session-view.ts';

export function messageById(view: SessionView, messageId: string): MessageView | undefined {
  const item = view.items[view.messageAt[messageId] ?? -1];
  return item?.kind === 'message' ? item.message : undefined;
}

export function permissionById(view: SessionView, requestId: string): PermissionView | undefined {
  const item = view.items[view.permissionAt[requestId] ?? -1];
  if (item?.kind === 'permission') return item.request;
  if (item?.kind !== 'message') return undefined;
  for (const part of item.message.parts) {
    if (part.type === 'permission' && part.request.requestId === requestId) return part.request;
  }
  return undefined;
}

export function toolCallById(view: SessionView, toolCallId: string): ToolCallView | undefined {
  const messageId = view.toolCallIn[toolCallId];
  const message = messageId === undefined ? undefined : messageById(view, messageId);
  for (const part of message?.parts ?? [])
    if (part.type === 'tool' && part.call.toolCallId === toolCallId) return part.call;
  return undefined;
}

/** Permission requests still waiting for an answer, oldest first. */
export function pendingPermissions(view: SessionView): PermissionView[] {
  const holders = [...new Set(Object.values(view.permissionAt))].sort((a, b) => a - b);
  return holders.flatMap((at) => requestsIn(view.items[at])).filter((r) => r.status === 'pending');
}

function requestsIn(item: TimelineItem | undefined): PermissionView[] {
  if (item?.kind === 'permission') return [item.request];
  if (item?.kind !== 'message') return [];
  return item.message.parts.flatMap((part) => (part.type === 'permission' ? [part.request] : []));
}
