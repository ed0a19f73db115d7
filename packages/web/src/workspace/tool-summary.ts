/** The one thing worth showing about a tool call's input in a single line. */
export function toolSummary(tool: string, input: unknown): string {
  if (typeof input !== 'object' || input === null) return '';
  const record = input as Record<string, unknown>;
  for (const key of ['command', 'pattern', 'query', 'url', 'path', 'from']) {
    const value = record[key];
    if (typeof value === 'string')
      return key === 'from' && typeof record.to === 'string' ? `${value} → ${record.to}` : value;
  }
  if (tool === 'todo' && Array.isArray(record.items)) return `${record.items.length} items`;
  return '';
}
