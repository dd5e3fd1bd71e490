import type { LiveEventType } from './event-stream';

/** Which cached answers each milestone makes stale (query keys, by their first part). */
export const STALE_AFTER: Record<LiveEventType, string[][]> = {
  'call.updated': [['me'], ['calls'], ['sample-call']],
  'call.completed': [['me'], ['calls'], ['transcript'], ['sample-call']],
  'analysis.ready': [['me'], ['dream-dna'], ['dream-dna-versions'], ['assessments'], ['analyses']],
  'dream_dna.changed': [['dream-dna'], ['dream-dna-versions']],
  'domain.selected': [['me'], ['domain-selection'], ['domain-search'], ['dream-dna']],
  'payment.updated': [['me'], ['payments'], ['subscription']],
  // The case moved, its documents or domain changed; the formation details and the profile's status follow it.
  'formation.changed': [['formation-case'], ['formation-documents'], ['formation'], ['me']],
};
