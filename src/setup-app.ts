import fastifyCookie from '@fastify/cookie';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { randomUUID } from 'node:crypto';
import { AppModule } from 'src/app.module';
import { registerMethodNotAllowed } from 'src/common/http/method-not-allowed';
import { RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE } from 'src/common/dependencies/dependency-failure';
import { staticSecurityHeaders } from 'src/common/http/security-headers';
import { parseJsonBody } from 'src/common/json-body';
import { AppConfig, appConfig } from 'src/config/app.config';
import { fastifyTrustProxy } from 'src/config/trust-proxy';
import { DatabaseConnection } from 'src/database/database-connection';
import { setupOpenApi } from 'src/docs/openapi';
import { registerAccessLog } from 'src/logging/access-log';
import { ACCESS_LOGGER } from 'src/logging/logging.module';
import { registerMetrics } from 'src/metrics/metrics-route';
import { MetricsService } from 'src/metrics/metrics.service';

/** Bodies above this are 413 (the contract's limit). */
export const BODY_LIMIT = 64 * 1024;

const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The probes answer while the database is still being opened at start-up; every other route is 503. */
const OPEN_WHILE_STARTING = /^\/api\/health(\/|\?|$)/;

/** What the adapter is made from: appConfig() (main.ts and the tests read it before Nest starts). */
export type AdapterConfig = Pick<AppConfig, 'trustProxy' | 'requestTimeoutMs' | 'headersTimeoutMs'>;

/** How often Node checks the two timeouts (its default, 30 s, would let a stalled request live that much longer). */
const TIMEOUT_CHECK_MS = 1_000;

/** Fastify as the contract wants it: JSON bodies only, 64 KiB, request ids, proxy trust and timeouts from config. */
export function createAdapter({ trustProxy, requestTimeoutMs, headersTimeoutMs }: AdapterConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    // A client that stalls its headers or its body is answered 408 and disconnected (Fastify's default: never).
    requestTimeout: requestTimeoutMs,
    http: { headersTimeout: headersTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
    // Forwarded address and protocol are read only from the hops TRUST_PROXY names.
    trustProxy: fastifyTrustProxy(trustProxy),
    // Keep a caller's X-Request-Id when it is a sane token, else make one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
  });
}

/** Creates the application; main.ts and the e2e tests share it. */
export async function createApp(adapterConfig: AdapterConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(adapterConfig), {
    // Nest's extra parsers (urlencoded) stay off: a body that is not JSON is 415.
    bodyParser: false,
    abortOnError: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  await configureApp(app);
  return app;
}

export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(appConfig.KEY);
  const database = app.get(DatabaseConnection);
  const fastify = app.getHttpAdapter().getInstance();

  registerAccessLog(fastify, app.get<Pino>(ACCESS_LOGGER));
  if (config.metricsEnabled) {
    registerMetrics(fastify, app.get(MetricsService), { production: config.production, token: config.metricsToken });
  }

  // JWKS lives at the well-known path (RFC 8615), outside the API prefix.
  app.setGlobalPrefix('api', { exclude: [{ path: '.well-known/jwks.json', method: RequestMethod.GET }] });

  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, parseJsonBody);

  // Parses the Cookie header for cookie-transport clients; signs nothing (tokens are JWTs).
  await app.register(fastifyCookie);
  const securityHeaders = staticSecurityHeaders({
    // A JSON API: nothing may load, frame or embed its responses.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    // Sent below only for requests that arrived over TLS at a trusted proxy.
    hsts: false,
  });
  app.enableCors({
    // Exact origins only; never a reflected or wildcard origin with credentials.
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'X-CSRF-Token',
      'X-Request-Id',
      'If-Match',
      'If-None-Match',
      'Idempotency-Key',
    ],
    exposedHeaders: ['X-Total-Count', 'Link', 'X-Request-Id', 'Retry-After', 'ETag', 'Idempotent-Replayed'],
    maxAge: 600,
  });

  fastify.addHook('onRequest', (req, reply, done) => {
    reply.headers(securityHeaders);
    reply.header('X-Request-Id', req.id);
    // Fastify reads X-Forwarded-Proto only when the socket's peer is a trusted proxy.
    if (req.protocol === 'https') {
      reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
    if (!database.ready && !OPEN_WHILE_STARTING.test(req.url)) {
      // Answered here, before any guard would query a database that is not open yet.
      reply
        .code(503)
        .header('Retry-After', String(RETRY_AFTER_SECONDS))
        .send({ statusCode: 503, error: 'Service Unavailable', message: UNAVAILABLE_MESSAGE.database });
      return;
    }
    done();
  });
  registerMethodNotAllowed(fastify);
  setupOpenApi(app);

  // Once shutdown begins, answers to requests still in flight close their connection, so a
  // keep-alive client does not hold the process open after its last response.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // API answers are per-caller: nothing is cached unless a route says otherwise (JWKS does).
  fastify.addHook('onSend', (_req, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    if (closing) reply.header('Connection', 'close');
    // Swagger UI loads its own scripts, styles and images; everything else keeps default-src 'none'.
    if (_req.url.startsWith('/api/docs')) reply.header('Content-Security-Policy', DOCS_CSP);
    done(null, payload);
  });
}
