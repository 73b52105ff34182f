import helmet, { HelmetOptions } from 'helmet';

/**
 * The headers `helmet(options)` would set, computed once. Our options have no
 * per-request parts (no CSP nonces, no functions), so every response gets the
 * same set. Hand-written because @fastify/helmet rebuilds helmet's middleware,
 * re-parsing the whole policy, on every request: a fifth of an authenticated
 * read's CPU. Helmet itself still decides every header and value. (It also
 * removes X-Powered-By, which Fastify never sends; test/headers checks.)
 */
export function staticSecurityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader() {},
  };
  let failure: unknown;
  helmet(options)({} as never, response as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error('helmet refused the options');
  return headers;
}
