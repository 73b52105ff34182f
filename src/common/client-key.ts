import { normalizeIp } from '@nestjs/throttler';

/** IPv6 clients are usually given a whole /64 (RFC 6177): every address in it counts as one client. */
export const IPV6_SUBNET_PREFIX = 64;

/**
 * The key the limits count a client address under, as @nestjs/throttler's own
 * guard does: an IPv6 address becomes its /64, an IPv4-mapped one its IPv4 address.
 */
export function clientKey(ip: string): string {
  return normalizeIp(ip, IPV6_SUBNET_PREFIX);
}
