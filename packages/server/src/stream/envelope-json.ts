import type { EventEnvelope } from '@aura/protocol';

const cache = new WeakMap<EventEnvelope, string>();

/**
 * The envelope's JSON, serialised once per published object: every connection watching a session
 * receives the same object from the bus, so they share one string instead of one each.
 */
export function envelopeJson(envelope: EventEnvelope): string {
  let json = cache.get(envelope);
  if (json === undefined) {
    json = JSON.stringify(envelope);
    cache.set(envelope, json);
  }
  return json;
}
