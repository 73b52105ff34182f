import type { FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';

/** The methods a path may have; OPTIONS is left out: CORS answers it on every path. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * A known path asked with a method it lacks is 405 with `Allow` (RFC 9110, 15.5.6), in the
 * contract's error shape; an unknown path stays 404. Fastify answers both with 404 and has
 * no option for this, so the router is asked, per unmatched request, which methods the path has.
 */
export function registerMethodNotAllowed(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const url = request.url.split('?', 1)[0];
    const allowed = METHODS.filter((method) => fastify.findRoute({ method, url }) !== null);
    if (allowed.length === 0) return done();
    void reply
      .status(405)
      .header('Allow', allowed.join(', '))
      .send({
        statusCode: 405,
        error: STATUS_CODES[405],
        message: `Method ${request.method} is not allowed on ${url}`,
      });
  });
}
