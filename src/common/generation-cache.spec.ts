import { GenerationCache } from 'src/common/generation-cache';

describe('GenerationCache', () => {
  it('serves an entry while the generation stays, and forgets everything when it moves', () => {
    const cache = new GenerationCache<string>(10);
    expect(cache.get('a', 1)).toBeUndefined();
    cache.set('a', 'one', 1);
    expect(cache.get('a', 1)).toBe('one');
    expect(cache.get('a', 2)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('a', 1)).toBeUndefined();
  });

  it('does not store a value loaded while the generation moved on', () => {
    const cache = new GenerationCache<string>(10);
    cache.get('a', 1); // request X reads generation 1 and misses, then queries
    cache.get('b', 2); // meanwhile a commit: request Y sees generation 2
    cache.set('a', 'read before the commit', 1); // X's result arrives
    expect(cache.get('a', 2)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new GenerationCache<number>(3);
    cache.get('x', 7);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) cache.set(key, i, 7);
    expect(cache.size).toBe(3);
    expect(cache.get('a', 7)).toBeUndefined();
    expect(cache.get('d', 7)).toBe(3);
  });
});
