import proxyAddr from '@fastify/proxy-addr';
import { ConfigError } from 'src/config/config-error';

/**
 * Which hops may say who the client is: none (false), the nearest N proxies, or
 * proxies at these addresses/CIDRs (Fastify's `trustProxy` forms, minus `true`).
 */
export type TrustProxy = false | number | string[];

const REFUSE_TRUE =
  'Invalid configuration: TRUST_PROXY=true would trust every hop, so any client could forge its address; ' +
  'set the number of proxies in front of the service (e.g. TRUST_PROXY=1) or their addresses (e.g. TRUST_PROXY=127.0.0.1,10.0.0.0/8)';

/** Reads TRUST_PROXY; throws a one-line ConfigError for `true` or an address that is not one. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim();
  if (value === '' || /^(false|no|off|0)$/i.test(value)) return false;
  if (/^(true|yes|on)$/i.test(value)) throw new ConfigError(REFUSE_TRUE);
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 32) throw new ConfigError('Invalid configuration: TRUST_PROXY hop count must be 0 to 32');
    return hops;
  }
  const list = value
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const address of list) {
    try {
      // proxy-addr is what Fastify compiles the list with: whatever it accepts here, Fastify does too.
      proxyAddr.compile(address);
    } catch {
      throw new ConfigError(
        `Invalid configuration: TRUST_PROXY must be a hop count or comma-separated proxy addresses/CIDRs; "${address}" is neither`,
      );
    }
  }
  return list;
}

/** The form Fastify takes. A hop count becomes a function: Fastify 5 ignores forwarded headers for a bare number. */
export function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return trust === 0 ? false : (_address: string, hop: number) => hop < trust;
  return trust;
}
