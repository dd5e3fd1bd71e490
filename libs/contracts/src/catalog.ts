import { z } from 'zod';

/**
 * A job catalog maps each job name of one queue to its payload schema and its retry defaults.
 * Job names and payloads are a wire format shared by producers and workers that may run different
 * versions: names are kebab-case literals without ':' (BullMQ uses ':' in its keys), every payload
 * carries `v`, and a version only ever changes additively.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** Total tries, the first included. 1 means no retry. */
  attempts: number;
  /** Base delay of the exponential backoff between tries, in ms. */
  backoffMs: number;
}

export type JobCatalog = Record<string, JobDefinition>;

export type JobNameOf<C extends JobCatalog> = keyof C & string;
/** What a producer passes: defaults may be left out. */
export type JobInputOf<C extends JobCatalog, N extends JobNameOf<C>> = z.input<C[N]['schema']>;
/** What a handler receives: parsed, with defaults applied. */
export type JobPayloadOf<C extends JobCatalog, N extends JobNameOf<C>> = z.output<C[N]['schema']>;

export const JOB_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Fields every payload carries: the schema version and the correlation id of the request that caused it. */
export const jobEnvelope = {
  v: z.literal(1),
  correlationId: z.string().min(1).max(128).optional(),
};

/** Builds a version-1 payload schema: the envelope plus the job's own fields. Unknown keys are dropped. */
export function payloadV1<T extends z.ZodRawShape>(shape: T) {
  return z.object({ ...jobEnvelope, ...shape });
}

export function job<S extends z.ZodType>(schema: S, options: { attempts?: number; backoffMs?: number } = {}): JobDefinition<S> {
  return { schema, attempts: options.attempts ?? 5, backoffMs: options.backoffMs ?? 1000 };
}

export function defineCatalog<C extends JobCatalog>(catalog: C): C {
  for (const name of Object.keys(catalog)) {
    if (!JOB_NAME_PATTERN.test(name)) throw new Error(`job name "${name}" is not a kebab-case literal`);
  }
  return catalog;
}
