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

const config = { bcryptCost: 4, bcryptMaxPerClient: 100, bcryptMaxPerUsername: 100, bcryptMaxBacklog: 100 };
const who = { ip: '192.0.2.1', username: 'alice' };
const NFC = 'caf\u00e9-horse-battery';
const NFD = 'cafe\u0301-horse-battery';

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
    const service = new PasswordService(config as never, new MetricsService());
    const stored = { passwordHash: await bcrypt.hash('a-password', 4), passwordNormalized: true };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => service.verify('a-password', stored, { ip: `192.0.2.${i}`, username: 'u' })),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(peak).toBe(bcryptConcurrency());
    expect(service.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it('hashes and compares the NFKC form, so either spelling of a password matches', async () => {
    const service = new PasswordService(config as never, new MetricsService());
    const passwordHash = await service.hash(NFD, who);
    expect(await bcrypt.compare(NFC, passwordHash)).toBe(true);
    const stored = { passwordHash, passwordNormalized: true };
    expect(await service.verify(NFC, stored, who)).toBe(true);
    expect(await service.verify(NFD, stored, who)).toBe(true);
    expect(await service.verify('cafe-horse-battery', stored, who)).toBe(false);
  });

  it('compares a hash from before normalisation with the password as typed', async () => {
    const service = new PasswordService(config as never, new MetricsService());
    const legacy = { passwordHash: await bcrypt.hash(NFD, 4), passwordNormalized: false };
    expect(await service.verify(NFD, legacy, who)).toBe(true);
  });

  it('answers 429 beyond the per-client bound and 503 beyond the backlog, with Retry-After', async () => {
    const service = new PasswordService(
      { ...config, bcryptMaxPerClient: 1, bcryptMaxBacklog: 1 } as never,
      new MetricsService(),
    );
    const stored = { passwordHash: await bcrypt.hash('a-password', 4), passwordNormalized: true };
    const slots = bcryptConcurrency();
    const running = Array.from({ length: slots + 1 }, (_, i) =>
      service.verify('a-password', stored, { ip: `198.51.100.${i}`, username: `u${i}` }),
    );
    const sameClient = service.verify('a-password', stored, { ip: '198.51.100.0', username: 'other' });
    await expect(sameClient).rejects.toMatchObject({ status: 429, response: { retryAfter: expect.any(Number) } });
    const overBacklog = service.verify('a-password', stored, { ip: '203.0.113.9', username: 'late' });
    await expect(overBacklog).rejects.toMatchObject({
      status: 503,
      response: { message: 'Server busy, try again later', retryAfter: expect.any(Number) },
    });
    await expect(Promise.all(running)).resolves.toEqual(Array(slots + 1).fill(true));
    expect(service.stats().refused).toEqual({ client: 1, username: 0, backlog: 1 });
  });
});
