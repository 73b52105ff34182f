import { fastifyTrustProxy, parseTrustProxy } from 'src/config/trust-proxy';

describe('parseTrustProxy', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    [' 10.0.0.0/8 , ::1, fd00::/8,loopback ', ['10.0.0.0/8', '::1', 'fd00::/8', 'loopback']],
  ])('%j → %j', (raw, expected) => {
    expect(parseTrustProxy(raw)).toEqual(expected);
  });

  it.each(['true', 'TRUE', 'on', 'yes', 'proxy.example', '10.0.0.0/33', '33'])('refuses %j', (raw) => {
    expect(() => parseTrustProxy(raw)).toThrow(/^Invalid configuration: TRUST_PROXY/);
  });
});

describe('fastifyTrustProxy', () => {
  it('trusts exactly the nearest N hops for a hop count', () => {
    const trust = fastifyTrustProxy(2) as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trust('203.0.113.9', hop))).toEqual([true, true, false]);
    expect(fastifyTrustProxy(0)).toBe(false);
    expect(fastifyTrustProxy(['10.0.0.1'])).toEqual(['10.0.0.1']);
  });
});
