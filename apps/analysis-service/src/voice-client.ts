import { INTERNAL_PATHS, type ConsultationView } from '@dreamseed/contracts';
import { callInternal, internalHeaders } from '@dreamseed/platform';
import type { AnalysisConfig } from './config';

/** The founder's ended calls from the voice service (which owns them); an error when it cannot answer. */
export async function fetchConsultation(
  config: Pick<AnalysisConfig, 'VOICE_SERVICE_URL' | 'INTERNAL_API_SECRET'>,
  userId: string,
  signal?: AbortSignal,
): Promise<ConsultationView> {
  const path = INTERNAL_PATHS.voice.founderConsultation.replace(':userId', encodeURIComponent(userId));
  const response = await callInternal(`${config.VOICE_SERVICE_URL}${path}`, { headers: internalHeaders(config.INTERNAL_API_SECRET), timeoutMs: 10_000, signal });
  if (!response.ok) throw new Error(`the voice service answered ${response.status} for the consultation`);
  return response.json<ConsultationView>();
}
