/**
 * Scrolls `container` (only it) so `element` is in view. `element.scrollIntoView` would also
 * scroll every clipping ancestor, and the workspace's panels clip: it would shift the whole panel.
 */
export function scrollWithin(
  container: HTMLElement,
  element: HTMLElement,
  align: 'nearest' | 'center',
): void {
  const box = container.getBoundingClientRect();
  const target = element.getBoundingClientRect();
  const top = target.top - box.top + container.scrollTop;
  if (align === 'center') {
    container.scrollTo({ top: top - (container.clientHeight - target.height) / 2, behavior: 'smooth' });
  } else if (target.top < box.top) {
    container.scrollTop = top;
  } else if (target.bottom > box.bottom) {
    container.scrollTop = top + target.height - container.clientHeight;
  }
}
