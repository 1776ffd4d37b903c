/**
 * A latency histogram with logarithmic buckets (1 % wide), small enough to send over IPC and merge
 * by addition. Values are microseconds; quantiles come back in milliseconds.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Buckets up to ~10 minutes. */
const BUCKETS = Math.ceil(Math.log(600e6) / LOG_GROWTH) + 1;

export interface HistogramData {
  readonly counts: ArrayLike<number>;
  readonly total: number;
  readonly maxUs: number;
}

export class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  total = 0;
  maxUs = 0;

  /** Records one latency in microseconds (values below 1 µs count as 1 µs). */
  record(us: number): void {
    const value = Math.max(us, 1);
    const index = Math.min(BUCKETS - 1, Math.ceil(Math.log(value) / LOG_GROWTH));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.total++;
    if (value > this.maxUs) this.maxUs = value;
  }

  /** Adds another histogram's counts. */
  merge(other: HistogramData): void {
    for (let i = 0; i < other.counts.length; i++) this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.total += other.total;
    if (other.maxUs > this.maxUs) this.maxUs = other.maxUs;
  }

  /** The q-quantile (0..1) in milliseconds, or null when nothing was recorded. */
  quantileMs(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(GROWTH ** i, this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  toData(): HistogramData {
    return { counts: Array.from(this.counts), total: this.total, maxUs: this.maxUs };
  }

  static from(data: HistogramData): Histogram {
    const histogram = new Histogram();
    histogram.merge(data);
    return histogram;
  }
}

/** p50/p95/p99/max of a histogram in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export function summarize(histogram: Histogram): LatencySummary {
  return {
    count: histogram.total,
    p50: histogram.quantileMs(0.5),
    p95: histogram.quantileMs(0.95),
    p99: histogram.quantileMs(0.99),
    max: histogram.total ? histogram.maxUs / 1000 : null,
  };
}
