import Redis from 'ioredis';
import { onRedis } from 'src/throttling/redis.provider';

export interface Counter {
  count: number;
  /** Milliseconds until the window that started at the first hit ends. */
  ttlMs: number;
}

/**
 * Fixed-window counters for the login-failure limiter. Written by hand:
 * @nestjs/throttler's storage can only count a hit, not read a count without
 * adding one (needed to refuse a login before running bcrypt) nor reset one
 * (needed when a login succeeds).
 */
export interface CounterStore {
  get(key: string): Promise<Counter>;
  increment(key: string, windowMs: number): Promise<Counter>;
  reset(key: string): Promise<void>;
}

/** One process's counters; expired windows are swept once a minute. */
export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, { count: number; expiresAt: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  get(key: string): Promise<Counter> {
    const w = this.live(key);
    return Promise.resolve(w ? { count: w.count, ttlMs: w.expiresAt - Date.now() } : { count: 0, ttlMs: 0 });
  }

  increment(key: string, windowMs: number): Promise<Counter> {
    const w = this.live(key) ?? { count: 0, expiresAt: Date.now() + windowMs };
    w.count += 1;
    this.windows.set(key, w);
    return Promise.resolve({ count: w.count, ttlMs: w.expiresAt - Date.now() });
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private live(key: string) {
    const w = this.windows.get(key);
    if (w && w.expiresAt <= Date.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, w] of this.windows) if (w.expiresAt <= now) this.windows.delete(key);
  }
}

/**
 * Counters every instance shares: INCR, and the window's expiry set by the first hit only.
 * With Redis down they fail closed (503, docs/API.md): counting in memory instead would
 * quietly multiply every limit by the number of instances.
 */
export class RedisCounterStore implements CounterStore {
  constructor(private readonly redis: Redis) {}

  async get(key: string): Promise<Counter> {
    const [[, count], [, ttl]] = (await onRedis(() => this.redis.multi().get(key).pttl(key).exec())) as [
      [null, string | null],
      [null, number],
    ];
    return { count: Number(count ?? 0), ttlMs: Math.max(0, ttl) };
  }

  async increment(key: string, windowMs: number): Promise<Counter> {
    const [[, count], , [, ttl]] = (await onRedis(() =>
      this.redis.multi().incr(key).pexpire(key, windowMs, 'NX').pttl(key).exec(),
    )) as [[null, number], unknown, [null, number]];
    return { count, ttlMs: Math.max(0, ttl) };
  }

  async reset(key: string): Promise<void> {
    await onRedis(() => this.redis.del(key));
  }
}
