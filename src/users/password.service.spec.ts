import { MetricsService } from 'src/metrics/metrics.service';
import { bcryptConcurrency, PasswordService } from 'src/users/password.service';

describe('bcryptConcurrency', () => {
  it('is one hash per CPU, leaving at least one thread-pool thread free', () => {
    expect(bcryptConcurrency(1, 4)).toBe(1);
    expect(bcryptConcurrency(2, 4)).toBe(2);
    expect(bcryptConcurrency(16, 4)).toBe(3);
    expect(bcryptConcurrency(16, 1)).toBe(1);
  });
});

// The module object itself: the service's `import * as bcrypt` reads its properties live.
const bcrypt = jest.requireActual<typeof import('bcrypt')>('bcrypt');

describe('PasswordService', () => {
  afterEach(() => jest.restoreAllMocks());

  it('never has more hashes in the thread pool than bcryptConcurrency()', async () => {
    let inFlight = 0;
    let peak = 0;
    const real = bcrypt.compare.bind(bcrypt) as (data: string, hash: string) => Promise<boolean>;
    jest.spyOn(bcrypt, 'compare').mockImplementation((async (data: string, hash: string) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await real(data, hash);
      } finally {
        inFlight--;
      }
    }) as never);
    const service = new PasswordService({ bcryptCost: 4 } as never, new MetricsService());
    const hash = await bcrypt.hash('a-password', 4);
    const results = await Promise.all(Array.from({ length: 8 }, () => service.verify('a-password', hash)));
    expect(results.every(Boolean)).toBe(true);
    expect(peak).toBe(bcryptConcurrency());
  });
});
