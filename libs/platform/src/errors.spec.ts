import { DrizzleQueryError } from 'drizzle-orm';
import { captureLogs } from './__fixtures__/capture-logs';
import { DatabaseError, pgErrorCode, withoutData } from './errors';

/** node-postgres's error for a refused value: its message quotes the value, its detail holds the row. */
function postgresError(message: string, fields: Record<string, string>) {
  return Object.assign(new Error(message), { severity: 'ERROR', ...fields });
}

describe('withoutData', () => {
  const refused = postgresError('invalid input syntax for type uuid: "ada@example.com"', {
    code: '22P02',
    detail: 'Failing row contains (ada@example.com, +15550100).',
    table: 'users',
    column: 'id',
  });
  const wrapped = new DrizzleQueryError('select * from "users" where "id" = $1', ['ada@example.com', '+15550100'], refused);

  it("turns drizzle's error into one without the parameters, the row or the quoted value", () => {
    const safe = withoutData(wrapped) as DatabaseError;
    expect(safe).toBeInstanceOf(DatabaseError);
    expect(safe.message).toBe('database error 22P02: invalid input syntax for type uuid');
    expect([safe.code, safe.table, safe.column]).toEqual(['22P02', 'users', 'id']);
    expect(pgErrorCode(safe)).toBe('22P02');
    expect(safe.stack).toMatch(/^DatabaseError: database error 22P02[^\n]*\n\s+at /);
    expect(JSON.stringify({ ...safe, message: safe.message, stack: safe.stack })).not.toMatch(/ada@example\.com|15550100|Failing row/);
  });

  it("does the same for Postgres's own error, and leaves every other error as it is", () => {
    const safe = withoutData(refused) as DatabaseError;
    expect(safe.message).toBe('database error 22P02: invalid input syntax for type uuid');
    const plain = new Error('transient');
    expect(withoutData(plain)).toBe(plain);
    expect(withoutData('a string')).toBe('a string');
  });

  it('is applied to every error a logger prints', async () => {
    const { raw: lines, logger } = captureLogs();
    logger.error({ err: wrapped }, 'statement failed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string).err).toMatchObject({ type: 'DatabaseError', code: '22P02', table: 'users' });
    expect(lines[0]).not.toMatch(/ada@example\.com|15550100|Failing row|"params"/);
  });
});
