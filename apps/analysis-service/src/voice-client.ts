import { INTERNAL_PATHS, type ConsultationView } from '@dreamseed/contracts';
import { INTERNAL_TOKEN_HEADER, withDeadline } from '@dreamseed/platform';
import type { AnalysisConfig } from './config';

/** The founder's ended calls from the voice service (which owns them); an error when it cannot answer. */
export async function fetchConsultation(
  config: Pick<AnalysisConfig, 'VOICE_SERVICE_URL' | 'INTERNAL_API_SECRET'>,
  userId: string,
  signal?: AbortSignal,
): Promise<ConsultationView> {
  const path = INTERNAL_PATHS.voice.founderConsultation.replace(':userId', encodeURIComponent(userId));
  return withDeadline(10_000, signal, async (deadline) => {
    const response = await fetch(`${config.VOICE_SERVICE_URL}${path}`, { headers: { [INTERNAL_TOKEN_HEADER]: config.INTERNAL_API_SECRET ?? '' }, signal: deadline });
    if (!response.ok) throw new Error(`the voice service answered ${response.status} for the consultation`);
    return (await response.json()) as ConsultationView;
  });
}
