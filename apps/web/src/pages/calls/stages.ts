/** The four consultations, in the founder's words. */
export const STAGES = [
  { stage: 1, name: 'Discovery', about: 'The problem you solve, who it is for, and you.' },
  { stage: 2, name: 'Positioning', about: 'What makes you different, your main service and your price.' },
  { stage: 3, name: 'Brand', about: 'The feel of your brand, its colours, names and domain ideas.' },
  { stage: 4, name: 'Formation', about: 'Your business type, state, package and timeline.' },
] as const;

export const stageName = (stage: number | null | undefined) => STAGES.find((s) => s.stage === stage)?.name ?? 'Consultation';
