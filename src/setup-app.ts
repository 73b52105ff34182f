import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import { AppModule } from 'src/app.module';

/** Bodies above this are 413 (the contract's limit). */
export const BODY_LIMIT = 64 * 1024;

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Fastify as the contract wants it: JSON bodies only, 64 KiB, request ids, proxy trust from config. */
export function createAdapter(trustProxy: boolean): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    trustProxy,
    // Keep a caller's X-Request-Id when it is a sane token, else make one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  });
}

/** Creates the application; main.ts and the e2e tests share it. */
export async function createApp(trustProxy: boolean): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(trustProxy), {
    // Nest's extra parsers (urlencoded) stay off: a body that is not JSON is 415.
    bodyParser: false,
    abortOnError: false,
    bufferLogs: false,
  });
  await configureApp(app);
  return app;
}

export async function configureApp(app: NestFastifyApplication): Promise<void> {
  // Parses the Cookie header for cookie-transport clients; signs nothing (tokens are JWTs).
  await app.register(fastifyCookie);
  // JWKS lives at the well-known path (RFC 8615), outside the API prefix.
  app.setGlobalPrefix('api', { exclude: [{ path: '.well-known/jwks.json', method: RequestMethod.GET }] });
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('X-Request-Id', req.id);
    done();
  });
}
