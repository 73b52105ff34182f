import Redis from 'ioredis';

/**
 * A Redis database of its own for a spec, emptied first, when the run has a
 * Redis server (TEST_REDIS_URL); else undefined and the app counts in memory.
 */
export async function isolatedRedisUrl(db: number): Promise<string | undefined> {
  const base = process.env.TEST_REDIS_URL;
  if (!base) return undefined;
  const url = new URL(base);
  url.pathname = `/${db}`;
  const client = new Redis(url.toString());
  await client.flushdb();
  await client.quit();
  return url.toString();
}

/** The Redis server a `test/redis` spec needs: it fails, not skips, without one. */
export function requiredRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: these specs need a Redis server (see .ci/run)');
  return url;
}
