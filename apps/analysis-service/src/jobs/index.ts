import { acknowledgeOnly, type JobHandlers } from '@dreamseed/platform';

/** One handler per job of the `analysis` queue (the catalog is in libs/contracts). */
export function analysisJobHandlers(): JobHandlers<'analysis'> {
  return {
    'analyse-founder': acknowledgeOnly('#6'),
    'rerun-analysis': acknowledgeOnly('#6'),
    'submit-assessment': acknowledgeOnly('#6'),
    'record-business-fact': acknowledgeOnly('#6'),
    'record-selected-domain': acknowledgeOnly('#6'),
  };
}
