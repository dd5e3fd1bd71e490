import { INTERNAL_PATHS, type FounderCallContext } from '@dreamseed/contracts';
import { INTERNAL_TOKEN_HEADER } from '@dreamseed/platform';
import type { VoiceConfig } from './config';

/**
 * The founder as the gateway's internal API knows them, by phone number or by profile id: null when there is no
 * such founder; an error when the gateway cannot say (down, late, refusing).
 */
export async function fetchFounder(
  config: Pick<VoiceConfig, 'GATEWAY_URL' | 'INTERNAL_API_SECRET'>,
  by: { phone: string } | { id: string },
  timeoutMs: number,
): Promise<FounderCallContext | null> {
  const path =
    'phone' in by
      ? INTERNAL_PATHS.gateway.founderByPhone.replace(':phone', encodeURIComponent(by.phone))
      : INTERNAL_PATHS.gateway.founderById.replace(':id', encodeURIComponent(by.id));
  const response = await fetch(`${config.GATEWAY_URL}${path}`, {
    headers: { [INTERNAL_TOKEN_HEADER]: config.INTERNAL_API_SECRET ?? '' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status === 404 || response.status === 400) return null;
  if (!response.ok) throw new Error(`founder lookup answered ${response.status}`);
  return (await response.json()) as FounderCallContext;
}
