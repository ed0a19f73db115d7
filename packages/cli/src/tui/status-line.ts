import { displayWidth, graphemes, truncateToWidth } from './md-width.ts';
import type { Theme } from './theme.ts';

export interface StatusInfo {
  model: string | null;
  scripted: boolean;
  sessionId: string;
  title: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  /** idle / thinking / running tool X / waiting for permission… */
  activity: string;
  /** The workspace directory or the server URL. */
  location: string;
}

export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return '$ n/a';
  return costUsd < 1 ? `$${costUsd.toFixed(4)}` : `$${costUsd.toFixed(2)}`;
}

/** `~/…` for paths under HOME, the host for server URLs. */
export function shortLocation(location: string, home: string | undefined): string {
  if (/^https?:\/\//.test(location)) {
    try {
      return new URL(location).host;
    } catch {
      return location;
    }
  }
  if (home && home !== '/' && (location === home || location.startsWith(`${home}/`)))
    return `~${location.slice(home.length)}`;
  return location;
}

const separator = ' · ';

interface Segment {
  key: 'model' | 'session' | 'title' | 'tokens' | 'cost' | 'activity' | 'location';
  text: string;
  /** Shrinks (keeping its start, or its end for paths) before it is dropped. */
  shrink?: { keep: 'start' | 'end'; min: number };
  /** Joined to the segment before it with a space instead of the separator. */
  attached?: boolean;
  paint: (text: string) => string;
}

const lineWidth = (segments: Segment[]) =>
  segments.reduce(
    (sum, s, i) => sum + displayWidth(s.text) + (i === 0 ? 0 : s.attached ? 1 : separator.length),
    0,
  );

/**
 * The one-line status: model · session (short id + title) · tokens · cost · activity · location.
 * When it does not fit, the location shrinks or goes first, then the model loses its provider,
 * then the title, the model, the token counts, the session id and the cost go: the activity
 * always stays visible.
 */
export function formatStatusLine(info: StatusInfo, width: number, theme: Theme, home?: string): string {
  const activityPaint = info.activity === 'idle' ? theme.green : theme.yellow;
  let segments: Segment[] = [
    {
      key: 'model',
      // A `script:` id already says it is scripted.
      text: `${info.model ?? 'no model'}${info.scripted && !info.model?.startsWith('script:') ? ' (scripted)' : ''}`,
      shrink: { keep: 'start', min: 8 },
      paint: theme.cyan,
    },
    { key: 'session', text: info.sessionId.slice(-8), paint: (t) => t },
    ...(info.title
      ? [
          {
            key: 'title',
            text: info.title,
            shrink: { keep: 'start', min: 8 },
            attached: true,
            paint: theme.bold,
          } as const,
        ]
      : []),
    {
      key: 'tokens',
      text: `${compactCount(info.inputTokens)} in / ${compactCount(info.outputTokens)} out`,
      paint: (t) => t,
    },
    { key: 'cost', text: formatCost(info.costUsd), paint: (t) => t },
    { key: 'activity', text: info.activity, paint: activityPaint },
    {
      key: 'location',
      text: shortLocation(info.location, home),
      shrink: { keep: 'end', min: 10 },
      paint: theme.dim,
    },
  ];
  const order: (Segment['key'] | 'provider')[] = [
    'location',
    'provider',
    'title',
    'model',
    'tokens',
    'session',
    'cost',
  ];
  for (const key of order) {
    const total = lineWidth(segments);
    if (total <= width) break;
    if (key === 'provider') {
      // `anthropic/claude-sonnet-4-5` → `claude-sonnet-4-5`: the model name says the most.
      segments = segments.map((s) =>
        s.key === 'model' && !s.text.startsWith('script:')
          ? { ...s, text: s.text.replace(/^[^/]+\//, '') }
          : s,
      );
      continue;
    }
    const segment = segments.find((s) => s.key === key);
    if (!segment) continue;
    const room = width - (total - displayWidth(segment.text));
    if (segment.shrink && room >= segment.shrink.min) {
      const text =
        segment.shrink.keep === 'start'
          ? truncateToWidth(segment.text, room)
          : truncateStart(segment.text, room);
      segments = segments.map((s) => (s === segment ? { ...s, text } : s));
    } else {
      segments = segments.filter((s) => s !== segment);
    }
  }
  if (lineWidth(segments) > width) {
    return activityPaint(truncateToWidth(segments.map((s) => s.text).join(separator), width));
  }
  return segments
    .map((s, i) => `${i === 0 ? '' : s.attached ? ' ' : theme.dim(separator)}${s.paint(s.text)}`)
    .join('');
}

/** `text` cut to its last `width` columns, with a leading `…` when it did not fit. */
function truncateStart(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let kept = '';
  for (const g of graphemes(text).reverse()) {
    if (displayWidth(g + kept) > width - 1) break;
    kept = g + kept;
  }
  return `…${kept}`;
}
