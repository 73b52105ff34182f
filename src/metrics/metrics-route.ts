import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MetricsService } from 'src/metrics/metrics.service';

export interface MetricsAccess {
  production: boolean;
  /** METRICS_TOKEN; in production the endpoint is closed (404) without one. */
  token?: string;
}

const BEARER = /^Bearer ([\x21-\x7e]+)$/i;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares digests, so neither the token's length nor its prefix shows in the time taken. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = BEARER.exec(header ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/**
 * GET /metrics (Prometheus text format) on the service's port, outside /api, and the
 * per-request HTTP metrics. Both are plain Fastify, not Nest: the route must bypass the
 * global JWT guard, the rate limits and the OpenAPI document, and the hook sees every
 * answer, 404s and rejected bodies included. Requests are labelled with the route
 * pattern Fastify matched (`/api/tasks/:id`), never the URL, so labels stay few.
 */
export function registerMetrics(fastify: FastifyInstance, metrics: MetricsService, access: MetricsAccess): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: reply.statusCode };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  fastify.get('/metrics', async (req: FastifyRequest, reply: FastifyReply) => {
    if (access.production) {
      if (!access.token) return reply.callNotFound();
      if (!bearerMatches(req.headers.authorization, access.token)) {
        return reply
          .code(401)
          .header('WWW-Authenticate', 'Bearer realm="metrics"')
          .send({ statusCode: 401, error: 'Unauthorized', message: 'The metrics token is missing or wrong' });
      }
    }
    const body = await metrics.scrape();
    return reply.header('Content-Type', metrics.contentType()).send(body);
  });
}
