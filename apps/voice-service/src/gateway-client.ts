import { E164, INTERNAL_PATHS, type FounderCallContext } from '@dreamseed/contracts';
import { callInternal, internalHeaders } from '@dreamseed/platform';
import type { VoiceConfig } from './config';

/**
 * The founder as the gateway's internal API knows them, by phone number or by profile id: null when there is no
 * such founder; an error when the gateway cannot say (down, late, refusing).
 */
export async function fetchFounder(
  config: Pick<VoiceConfig, 'GATEWAY_URL' | 'INTERNAL_API_SECRET'>,
  by: { phone: string } | { id: string },
  timeoutMs: number,
  correlationId?: string,
): Promise<FounderCallContext | null> {
  // Only an E.164 number can be a founder's (the gateway would answer 400): not worth a request.
  if ('phone' in by && !E164.test(by.phone)) return null;
  const headers = internalHeaders(config.INTERNAL_API_SECRET, correlationId);
  // A number goes in the body: a path would put it in the gateway's access log.
  const response =
    'phone' in by
      ? await callInternal(`${config.GATEWAY_URL}${INTERNAL_PATHS.gateway.founderByPhone}`, { headers, json: { phone: by.phone }, timeoutMs })
      : await callInternal(`${config.GATEWAY_URL}${INTERNAL_PATHS.gateway.founderById.replace(':id', encodeURIComponent(by.id))}`, { headers, timeoutMs });
  if (response.status === 404 || response.status === 400) return null;
  if (!response.ok) throw new Error(`founder lookup answered ${response.status}`);
  return response.json<FounderCallContext>();
}

export type CallerRegistration =
  | { outcome: 'registered' | 'already-registered'; id: string }
  | { outcome: 'email-taken' }
  | { outcome: 'invalid'; message: string };

/** Registers a caller through the gateway's internal API; an error when the gateway cannot say. */
export async function registerCaller(
  config: Pick<VoiceConfig, 'GATEWAY_URL' | 'INTERNAL_API_SECRET'>,
  input: { phone: string; email: string; name?: string },
  timeoutMs: number,
  correlationId?: string,
): Promise<CallerRegistration> {
  const response = await callInternal(`${config.GATEWAY_URL}${INTERNAL_PATHS.gateway.registerFounder}`, {
    headers: internalHeaders(config.INTERNAL_API_SECRET, correlationId),
    json: input,
    timeoutMs,
  });
  const body = response.jsonIfAny<{ id?: string; error?: { message?: string; details?: { path: string; message: string }[] } }>() ?? {};
  if ((response.status === 201 || response.status === 200) && body.id) return { outcome: response.status === 201 ? 'registered' : 'already-registered', id: body.id };
  if (response.status === 409) return { outcome: 'email-taken' };
  if (response.status === 400 || response.status === 422) {
    return { outcome: 'invalid', message: body.error?.details?.map((d) => `${d.path} ${d.message}`).join('; ') || body.error?.message || 'not valid' };
  }
  throw new Error(`caller registration answered ${response.status}`);
}
