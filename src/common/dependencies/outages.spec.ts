import { Logger } from '@nestjs/common';
import { EPISODE_GAP_MS, Outages } from 'src/common/dependencies/outages';

describe('Outages', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    warn.mockRestore();
  });

  it('logs an outage once per episode, however many requests fail in it', () => {
    const outages = new Outages();
    for (let i = 0; i < 100; i++) {
      outages.failed('database', new Error('connect ECONNREFUSED'));
      jest.advanceTimersByTime(1_000);
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(outages.isDown('database')).toBe(true);
  });

  it('logs the recovery once, and a failure after it opens a new episode', () => {
    const outages = new Outages();
    outages.failed('redis', new Error('Command timed out'));
    outages.recovered('redis');
    outages.recovered('redis');
    expect(outages.isDown('redis')).toBe(false);
    outages.failed('redis', new Error('Command timed out'));
    expect(warn.mock.calls.map((call) => call[1] as string)).toEqual([
      expect.stringContaining('Redis unavailable'),
      'Redis available again',
      expect.stringContaining('Redis unavailable'),
    ]);
  });

  it('ends an episode after a quiet gap, and keeps dependencies apart', () => {
    const outages = new Outages();
    outages.failed('disk', new Error('SQLITE_FULL'));
    outages.failed('database', new Error('ECONNREFUSED'));
    jest.advanceTimersByTime(EPISODE_GAP_MS + 1);
    expect(outages.isDown('disk')).toBe(false);
    outages.failed('disk', new Error('SQLITE_FULL'));
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('never logs a recovery that had no outage', () => {
    new Outages().recovered('database');
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('Outages.absorbed', () => {
  it('takes a dependency failure into its episode and leaves anything else to the caller', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const outages = new Outages();
      expect(outages.absorbed(Object.assign(new Error('SQLITE_FULL'), { code: 'SQLITE_FULL' }))).toBe(true);
      expect(outages.isDown('disk')).toBe(true);
      expect(outages.absorbed(new TypeError('a bug'))).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});
