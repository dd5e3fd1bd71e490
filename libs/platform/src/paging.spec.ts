import fc from 'fast-check';
import { thrownCode } from '@dreamseed/testing';
import { encodeCursor, pageOf, pageQuery, pageRequest, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from './paging';

describe('paging', () => {
  it('takes the default limit, and a limit from 1 to the maximum', () => {
    expect(pageRequest({})).toEqual({ limit: PAGE_LIMIT_DEFAULT, after: null });
    expect(pageRequest({ limit: '1' }).limit).toBe(1);
    expect(pageRequest({ limit: String(PAGE_LIMIT_MAX) }).limit).toBe(PAGE_LIMIT_MAX);
    for (const limit of ['0', String(PAGE_LIMIT_MAX + 1), '-1', '1.5', 'ten', '', ['1', '2'], '1e2']) expect(thrownCode(() => pageRequest({ limit }))).toBe('invalid_limit');
  });

  it('reads back the cursors it gives, and refuses any other with invalid_cursor', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        expect(pageRequest({ cursor: encodeCursor(id) }).after).toBe(id.toLowerCase());
      }),
    );
    for (const cursor of ['', 'abc', encodeCursor('not-a-uuid'), Buffer.from('p2:0f8fad5b-d9cb-469f-a165-70867728950e').toString('base64url'), ['a'], 'x'.repeat(200)]) {
      expect(thrownCode(() => pageRequest({ cursor }))).toBe('invalid_cursor');
    }
  });

  it('passes a page on as the same query', () => {
    const page = pageRequest({ limit: '7', cursor: encodeCursor('0f8fad5b-d9cb-469f-a165-70867728950e') });
    expect(pageRequest(Object.fromEntries(pageQuery(page)))).toEqual(page);
  });

  it('cuts the extra row and names the last one kept as the next cursor, or null on the last page', () => {
    const rows = ['a', 'b', 'c'].map((id) => ({ id: `0f8fad5b-d9cb-469f-a165-70867728950${id}` }));
    const page = { limit: 2, after: null };
    const first = pageOf(rows, page, (row) => row.id);
    expect(first.items).toEqual(rows.slice(0, 2));
    expect(pageRequest({ cursor: first.next_cursor }).after).toBe(rows[1]?.id);
    expect(pageOf(rows.slice(0, 2), page, (row) => row.id).next_cursor).toBeNull();
    expect(pageOf([], page, (row: { id: string }) => row.id)).toEqual({ items: [], next_cursor: null });
  });
});
