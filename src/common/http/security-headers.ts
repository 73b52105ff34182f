import helmet, { HelmetOptions } from 'helmet';

export interface StaticHeaders {
  set: Record<string, string>;
  remove: string[];
}

/**
 * The headers `helmet(options)` would write, computed once. Our options have
 * no per-request parts (no CSP nonces, no functions), so every response gets
 * the same set. Hand-written because @fastify/helmet rebuilds helmet's
 * middleware, re-parsing the whole policy, on every request: a fifth of an
 * authenticated read's CPU. Helmet itself still decides every header and value.
 */
export function staticSecurityHeaders(options: HelmetOptions): StaticHeaders {
  const headers: StaticHeaders = { set: {}, remove: [] };
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      headers.remove.push(name);
    },
  };
  let failure: unknown;
  helmet(options)({} as never, response as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error('helmet refused the options');
  return headers;
}
