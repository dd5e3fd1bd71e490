import type { Request } from 'express';
import { AppError } from '@dreamseed/platform';
import { ownerPath, pathId } from './owners';

const refusal = (build: () => unknown) => {
  try {
    build();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? { status: error.status, code: error.code, message: error.message } : error;
  }
};

describe("owners' internal paths", () => {
  it('fills a path with safe segments only, and refuses anything else as not found', () => {
    expect(ownerPath('/internal/calls/:id/transcript', { id: 'b7f0c6d2-54f4-4a43-9a70-7d1d2a0c8e15' })).toBe('/internal/calls/b7f0c6d2-54f4-4a43-9a70-7d1d2a0c8e15/transcript');
    for (const id of ['..', '.', '%2e%2e', 'a/b', 'a%2Fb', '', 'a\u0000', 'a b', 'a?b', 'a#b', '\\..']) {
      expect({ id, refused: refusal(() => ownerPath('/internal/calls/:id/transcript', { id })) }).toEqual({
        id,
        refused: { status: 404, code: 'not_found', message: 'Not found.' },
      });
    }
    expect(refusal(() => ownerPath('/internal/calls/:id/transcript', {}))).toMatchObject({ status: 404 });
  });

  it('takes a UUID from the path, lower-cased, and refuses anything else with a message naming no path', () => {
    const request = (id: string) => ({ params: { id } }) as unknown as Request;
    expect(pathId(request('B7F0C6D2-54F4-4A43-9A70-7D1D2A0C8E15'), 'call')).toBe('b7f0c6d2-54f4-4a43-9a70-7d1d2a0c8e15');
    for (const id of ['..', '../payments', 'b7f0c6d2-54f4-4a43-9a70-7d1d2a0c8e15/..', 'not-a-uuid']) {
      expect(refusal(() => pathId(request(id), 'call'))).toEqual({ status: 404, code: 'not_found', message: 'No such call.' });
    }
  });
});
