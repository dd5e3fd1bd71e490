import { Batcher, type BatcherOptions } from './batcher';

/** A store that records its calls; items whose text is 'bad' are refused, and so is any batch holding one. */
function store(options: Partial<BatcherOptions<string, string>> = {}) {
  const calls: string[][] = [];
  const ones: string[] = [];
  const batcher = new Batcher<string, string>({
    writeBatch: async (items) => {
      calls.push(items);
      if (items.includes('bad')) throw new Error('batch refused');
      return items.map((item) => `stored ${item}`);
    },
    writeOne: async (item) => {
      ones.push(item);
      await new Promise((resolve) => setImmediate(resolve));
      if (item === 'bad') throw new Error(`refused ${item}`);
      return `alone ${item}`;
    },
    ...options,
  });
  return { batcher, calls, ones };
}

const outcomes = (promises: Promise<string>[]) =>
  Promise.allSettled(promises).then((settled) => settled.map((s) => (s.status === 'fulfilled' ? s.value : `error: ${(s.reason as Error).message}`)));

describe('Batcher', () => {
  it('writes what is submitted in one turn of the event loop as one batch, each submitter getting its own result', async () => {
    const { batcher, calls } = store();
    const results = await outcomes(['a', 'b', 'c'].map((item) => batcher.submit(item)));
    expect(results).toEqual(['stored a', 'stored b', 'stored c']);
    expect(calls).toEqual([['a', 'b', 'c']]);
  });

  it('keeps batches within maxSize, and items that arrive while maxInFlight batches are written wait for the next', async () => {
    const { batcher, calls } = store({ maxSize: 2, maxInFlight: 1 });
    const first = ['a', 'b', 'c', 'd', 'e'].map((item) => batcher.submit(item));
    await new Promise((resolve) => setImmediate(resolve));
    const later = ['f', 'g'].map((item) => batcher.submit(item));
    expect(await outcomes([...first, ...later])).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((item) => `stored ${item}`));
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f'], ['g']]);
  });

  it('writes the items of a failed batch one by one, in order, so that only the refused one fails', async () => {
    const errors: [string, number][] = [];
    const { batcher, ones } = store({ onBatchError: (error, size) => errors.push([(error as Error).message, size]) });
    const results = await outcomes(['a', 'bad', 'c'].map((item) => batcher.submit(item)));
    expect(results).toEqual(['alone a', 'error: refused bad', 'alone c']);
    expect(ones).toEqual(['a', 'bad', 'c']);
    expect(errors).toEqual([['batch refused', 3]]);
  });

  it('writes the items of a failed batch one after the other, never two at once', async () => {
    const events: string[] = [];
    const batcher = new Batcher<string, string>({
      writeBatch: async () => {
        throw new Error('batch refused');
      },
      writeOne: async (item) => {
        events.push(`start ${item}`);
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`end ${item}`);
        return item;
      },
    });
    expect(await outcomes(['a', 'b'].map((item) => batcher.submit(item)))).toEqual(['a', 'b']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('fails a batch that returns the wrong number of results as a whole', async () => {
    const { batcher } = store({ writeBatch: async () => ['only one'] });
    expect(await outcomes(['a', 'b'].map((item) => batcher.submit(item)))).toEqual(['alone a', 'alone b']);
  });

  it('refuses limits below one', () => {
    expect(() => new Batcher({ writeBatch: async () => [], writeOne: async () => 0, maxSize: 0 })).toThrow(/at least 1/);
  });
});
