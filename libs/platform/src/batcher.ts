/**
 * Group commit: callers submit one item each and await their own result; the items submitted in one turn of the
 * event loop (and those that arrive while earlier batches are still being written) are written together by one
 * `writeBatch` call, such as one database transaction.
 *
 * If a batch fails as a whole, its items are written again one after the other with `writeOne`, so that an item
 * the store refuses fails alone and only its submitter sees the error.
 */
export interface BatcherOptions<T, R> {
  /** Writes the items in one go: one result per item, in the items' order. Throws to fail the batch. */
  writeBatch: (items: T[]) => Promise<R[]>;
  /** Writes one item on its own, after a failed batch. */
  writeOne: (item: T) => Promise<R>;
  /** At most this many items per batch; more wait for the next one. Unlimited if not given. */
  maxSize?: number;
  /**
   * At most this many batches being written at once; items submitted meanwhile wait and go together into the
   * next batch, which keeps batches large under load and the connections used bounded. Unlimited if not given.
   */
  maxInFlight?: number;
  /** Told when a batch failed as a whole, before its items are written one by one. */
  onBatchError?: (error: unknown, size: number) => void;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class Batcher<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly maxSize: number;
  private readonly maxInFlight: number;

  constructor(private readonly options: BatcherOptions<T, R>) {
    this.maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
    this.maxInFlight = options.maxInFlight ?? Number.POSITIVE_INFINITY;
    if (this.maxSize < 1 || this.maxInFlight < 1) throw new Error('maxSize and maxInFlight must be at least 1');
  }

  /** Resolves with the item's own result once its batch (or, after a failed batch, its own write) is done. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: every caller woken by the same socket read (the
    // jobs of one Redis reply) has submitted its item by then.
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches() {
    while (this.queue.length && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxSize);
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        if (this.queue.length) this.schedule();
      });
    }
  }

  private async write(batch: Pending<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.options.writeBatch(batch.map((pending) => pending.item));
      if (results.length !== batch.length) throw new Error(`batch of ${batch.length} returned ${results.length} results`);
    } catch (error) {
      try {
        this.options.onBatchError?.(error, batch.length);
      } catch {
        // Reporting must not keep the items from being written.
      }
      for (const pending of batch) {
        try {
          pending.resolve(await this.options.writeOne(pending.item));
        } catch (oneError) {
          pending.reject(oneError);
        }
      }
      return;
    }
    batch.forEach((pending, index) => pending.resolve(results[index] as R));
  }
}
