// The datasets of a server: ids from its options only (a request names an id, never a path), each
// opened once on first use and shared by every client, so their requests share one chunk cache
// and one fetch-and-decode per chunk (ChunkCache joins concurrent reads of a chunk).
import { close, open } from '../api/entryPoints.js';
import type { VDS } from '../api/vds.js';
import { InvalidArgumentError, InvalidOperationError } from '../model/errors.js';
import { connectionStringSecrets, redactSecrets, scrub, urlSecrets } from '../../sources/stores/redact.js';
import { checkedId, type DatasetSource } from './options.js';

export class DatasetRegistry {
  private readonly sources = new Map<string, DatasetSource>();
  private readonly opened = new Map<string, Promise<VDS>>();
  /** Every credential substring of the configured URLs and connection strings, for `scrub`. */
  private readonly secrets: string[];
  private closed = false;

  /** `cacheBytes`: the server's decoded-chunk budget, split evenly between the datasets. */
  constructor(sources: readonly DatasetSource[], private readonly cacheBytes: number) {
    for (const source of sources) {
      checkedId(source.id, 'datasets');
      if (this.sources.has(source.id)) throw new InvalidArgumentError(`datasets: the id "${source.id}" is given twice`);
      this.sources.set(source.id, source);
    }
    this.secrets = sources.flatMap((s) => [...('url' in s ? urlSecrets(s.url) : []), ...connectionStringSecrets(s.connection ?? '')]);
  }

  get ids(): string[] {
    return [...this.sources.keys()];
  }

  has(id: string): boolean {
    return this.sources.has(id);
  }

  /** The open dataset (opened on first use; a failed open is tried again by the next request). */
  get(id: string): Promise<VDS> {
    const source = this.sources.get(id);
    if (!source) throw new InvalidArgumentError(`no dataset "${id}"`);
    let dataset = this.opened.get(id);
    if (!dataset) {
      dataset = this.open(source);
      this.opened.set(id, dataset);
      dataset.catch(() => { if (this.opened.get(id) === dataset) this.opened.delete(id); });
    }
    return dataset;
  }

  /** Opens every dataset now: a server that starts listening can serve all of them. */
  async openAll(): Promise<void> {
    await Promise.all(this.ids.map((id) => this.get(id)));
  }

  /** A text with every configured credential removed: for error replies and logs. */
  scrub(text: string): string {
    return scrub(redactSecrets(text), this.secrets);
  }

  async close(): Promise<void> {
    this.closed = true;
    const datasets = await Promise.allSettled(this.opened.values());
    this.opened.clear();
    await Promise.all(datasets.map((d) => (d.status === 'fulfilled' ? close(d.value, false) : undefined)));
  }

  private async open(source: DatasetSource): Promise<VDS> {
    if (this.closed) throw new InvalidOperationError('the server is closed');
    const dataset = 'url' in source ? await open(source.url, source.connection ?? '') : await open(source.store, source.connection ?? '');
    dataset.chunkCache.setMaxBytes(Math.floor(this.cacheBytes / this.sources.size));
    // Clients ask for the same slices: keep a chunk the first time.
    dataset.chunkCache.admission = 'first-use';
    return dataset;
  }
}
