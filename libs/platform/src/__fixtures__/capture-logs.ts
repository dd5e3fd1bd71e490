import { Writable } from 'node:stream';
import { createLogger } from '../logger';

/** A platform logger (redaction and serializers included) whose lines land here: as written, and parsed. */
export function captureLogs(level = 'info') {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { raw, lines, logger: createLogger({ service: 'test', version: '0', level, destination }) };
}
