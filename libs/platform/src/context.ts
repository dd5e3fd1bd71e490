import { randomUUID } from 'node:crypto';

/**
 * The correlation id of the request or job being handled. The HTTP middleware puts it on the request
 * (`req.correlationId`), a raw route hands it to its handler, and a job's context carries it; whoever enqueues a
 * job or calls another service passes it on (`enqueue`'s `correlationId`, the `x-correlation-id` header), so
 * one id follows a founder's action through every service.
 *
 * It is passed by hand rather than kept in an AsyncLocalStorage: on Node 20 one store in use anywhere turns on
 * promise hooks for every promise of the process, a cost every webhook and every job would pay
 * (docs/performance-notes.md#correlation-ids).
 */
export const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's id when it is well formed, otherwise mints one. */
export function acceptCorrelationId(candidate: unknown): string {
  return typeof candidate === 'string' && CORRELATION_ID_PATTERN.test(candidate) ? candidate : randomUUID();
}
