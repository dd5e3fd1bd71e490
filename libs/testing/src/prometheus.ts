/** One sample line of a Prometheus text exposition: `name{label="value",...} value`. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusScrape {
  /** Metric family name → type (`counter`, `gauge`, `histogram`, `summary`, `untyped`). */
  types: Map<string, string>;
  samples: PrometheusSample[];
  /** Every series name the scrape can hold: families plus `_bucket`, `_count`, `_sum` of histograms and summaries. */
  seriesNames(): Set<string>;
  /** The samples of one series whose labels include all of `labels`. */
  find(name: string, labels?: Record<string, string>): PrometheusSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Reads the Prometheus text format (what `/metrics` answers) into families and samples, for assertions. */
export function parsePrometheusText(text: string): PrometheusScrape {
  const types = new Map<string, string>();
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice('# TYPE '.length).split(' ');
      if (name && type) types.set(name, type);
      continue;
    }
    if (!line.trim() || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key as string] = (value as string).replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return {
    types,
    samples,
    seriesNames() {
      const names = new Set<string>(samples.map((sample) => sample.name));
      for (const [name, type] of types) {
        names.add(name);
        if (type === 'histogram') ['_bucket', '_count', '_sum'].forEach((suffix) => names.add(name + suffix));
        if (type === 'summary') ['_count', '_sum'].forEach((suffix) => names.add(name + suffix));
      }
      return names;
    },
    find(name, wanted = {}) {
      return samples.filter(
        (sample) => sample.name === name && Object.entries(wanted).every(([key, value]) => sample.labels[key] === value),
      );
    },
  };
}
