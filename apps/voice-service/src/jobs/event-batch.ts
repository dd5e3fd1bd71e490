/**
 * Group commit for job handlers. Each handler submits its item and awaits its own result; items submitted in
 * the same turn of the event loop (and those that arrive while earlier batches are still being written) are
 * written together by one `writeBatch` call, that is one transaction and one commit for all of them.
 *
 * If a batch fails as a whole (a value the database refuses, a deadlock, a lost connection), each of its
 * items is written again on its own with `writeOne`, in submission order: an item that fails there fails
 * alone, and only its own submitter sees the error.
 */
export interface EventBatchOptions<T, R> {
  /** Writes the items in one go: one result per item, in the items' order. Throws to fail the batch. */
  writeBatch: (items: T[]) => Promise<R[]>;
  /** Writes one item on its own: the fallback for the items of a failed batch. */
  writeOne: (item: T) => Promise<R>;
  /** At most this many items per batch; more wait for the next one. */
  maxSize: number;
  /**
   * At most this many batches being written at once; items submitted meanwhile wait and go together into
   * the next batch, which keeps batches large under load and the use of pool connections bounded.
   */
  maxInFlight: number;
  /** Told when a batch failed as a whole, before its items are written one by one. */
  onBatchError?: (error: unknown, size: number) => void;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class EventBatcher<T, R> {
  private queue: Pending<T, R>[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(private readonly options: EventBatchOptions<T, R>) {
    if (options.maxSize < 1 || options.maxInFlight < 1) throw new Error('maxSize and maxInFlight must be at least 1');
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
    // setImmediate runs after the I/O callbacks of this turn: every job started by the same Redis reply
    // has submitted its item by then.
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches() {
    while (this.queue.length && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxSize);
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        if (this.queue.length) this.schedule();
      });
    }
  }

  private async write(batch: Pending<T, R>[]) {
    let results: R[];
    try {
      results = await this.options.writeBatch(batch.map((p) => p.item));
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
        } catch (itemError) {
          pending.reject(itemError);
        }
      }
      return;
    }
    batch.forEach((pending, i) => pending.resolve(results[i] as R));
  }
}
