import { useState } from 'react';

/**
 * A fresh Idempotency-Key. randomUUID needs a secure context (https or localhost); getRandomValues does not, so a
 * deployment over plain http still gets a random version 4 UUID.
 */
export function newIntentKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The key of one intent: made when the action's form opens and kept until it closes, so that a double click, a
 * retry after a dropped connection or a second try after a refusal is the same request to the API (done at most
 * once); opening the form again is a new intent with a new key.
 */
export function useIntentKey(): string {
  const [key] = useState(newIntentKey);
  return key;
}
