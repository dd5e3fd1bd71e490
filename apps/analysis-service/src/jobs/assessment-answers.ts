import { sealedAssessment, type JobPayloadOf, type AnalysisJobs } from '@dreamseed/contracts';
import { SealedPayloadError, type PayloadSealer } from '@dreamseed/platform';
import { UnrecoverableError } from 'bullmq';

type Submission = JobPayloadOf<AnalysisJobs, 'submit-assessment'>;
type AssessmentAnswers = NonNullable<Submission['answers']>;

/**
 * The answers of a `submit-assessment` job: opened from `sealedAnswers`, or as an older gateway queued them in
 * the clear. Answers that will not open fail for good, with the reason naming the key (never the answers): every
 * copy of this service holds the same keys, so another try could only fail the same way, and a failed job stays
 * in the dashboard to retry once PAYLOAD_ENCRYPTION_KEY or PAYLOAD_ENCRYPTION_KEY_PREVIOUS is corrected.
 */
export async function assessmentAnswersOf(payload: Submission, sealer: PayloadSealer): Promise<AssessmentAnswers> {
  if (payload.sealedAnswers === undefined) return payload.answers as AssessmentAnswers;
  let plaintext: Uint8Array;
  try {
    plaintext = await sealer.open(payload.sealedAnswers);
  } catch (error) {
    if (error instanceof SealedPayloadError) throw new UnrecoverableError(`submit-assessment: ${error.message}`);
    throw error;
  }
  let opened: unknown;
  try {
    opened = JSON.parse(Buffer.from(plaintext).toString('utf8'));
  } catch {
    opened = undefined;
  }
  const parsed = sealedAssessment.safeParse(opened);
  if (!parsed.success) throw new UnrecoverableError('submit-assessment: the sealed answers opened but are not a list of answers.');
  // Sealed answers moved from another job open too; the id sealed with them says whose they are.
  if (parsed.data.assessmentId !== payload.assessmentId) throw new UnrecoverableError('submit-assessment: the sealed answers belong to another assessment.');
  return parsed.data.answers;
}
