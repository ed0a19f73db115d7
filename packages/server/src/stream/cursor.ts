import { HttpError } from '../http/errors.ts';

/**
 * Where a replay starts: after `Last-Event-ID` (sent by a reconnecting EventSource, so newer than
 * the URL's `?since`), else after `?since`, else from the first event.
 */
export function replayCursor(
  lastEventId: string | undefined,
  since: string | undefined,
  lastSeq: number,
): number {
  const raw = lastEventId?.trim() || since;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new HttpError(
      400,
      'invalid_cursor',
      'Last-Event-ID and ?since must be a non-negative integer event seq.',
    );
  }
  return checkCursor(Number(raw), lastSeq);
}

/** A cursor past the session's last event can only be a client bug: it would silently skip events. */
export function checkCursor(since: number, lastSeq: number): number {
  if (since > lastSeq) {
    throw new HttpError(
      400,
      'invalid_cursor',
      `Cannot resume after event ${since}: the session's last event is ${lastSeq}.`,
    );
  }
  return since;
}
