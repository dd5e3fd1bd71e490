const LOCAL_CONFIRM = /^\/v1\/billing\/checkout\/([0-9a-f-]{36})\/confirm$/i;

/**
 * Where a checkout's `url` takes the founder: Stripe's page (leave the app), or the local provider's confirm
 * link on the gateway, which the app shows as its own confirm page.
 */
export function checkoutDestination(url: string): { kind: 'local'; checkoutId: string } | { kind: 'external'; url: string } {
  const parsed = new URL(url, window.location.origin);
  const local = LOCAL_CONFIRM.exec(parsed.pathname);
  return local?.[1] ? { kind: 'local', checkoutId: local[1] } : { kind: 'external', url: parsed.toString() };
}
