import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponse } from 'src/common/dto/error-response';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** The service's version, as package.json says (src/docs and dist/docs both sit two levels down). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export const BEARER = 'bearer';
export const COOKIE = 'cookie';
export const PAT = 'pat';

/**
 * The OpenAPI document: every route with its DTO schemas (the @nestjs/swagger
 * CLI plugin reads them from the types and class-validator rules at build),
 * bearer and cookie security on every authenticated route, and the one error
 * shape as every operation's default response.
 */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('task-api')
    .setDescription(
      'JWT-authenticated REST API: users, sessions, products and tasks. Errors always have the shape of ErrorResponse. ' +
        'Browsers may use cookie transport (POST /api/login with use_cookies) and then echo the csrf_token cookie in X-CSRF-Token on every POST, PUT, PATCH and DELETE.',
    )
    .setVersion(packageVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER)
    .addCookieAuth('access_token', { type: 'apiKey', in: 'cookie', name: 'access_token' }, COOKIE)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'tapi_pat_…',
        description:
          'A personal access token (POST /api/tokens). Accepted only by operations listing the scopes they need in x-pat-scopes.',
      },
      PAT,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse] });
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation: Operation | undefined = path[method];
      if (!operation) continue;
      operation.responses.default ??= {
        description: 'Any error, always in this shape',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
      };
    }
  }
  return document;
}

/**
 * What Swagger UI's page loads (@nestjs/swagger's HTML, at /api/docs/ and, for /api/docs
 * without the slash, under /api/docs/docs/). SwaggerModule serves the whole swagger-ui-dist
 * folder, package.json, README and source maps included, and takes no filter for it.
 */
const DOCS_FILES = new Set([
  '',
  'index.html',
  'swagger-ui-init.js',
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
]);

/** Whether a request path under /api/docs is one of the files Swagger UI needs (or not under it at all). */
export function isServedDocsPath(path: string): boolean {
  const match = /^\/api\/docs\/(?:docs\/)?(.*)$/.exec(path);
  return !match || DOCS_FILES.has(match[1]);
}

/** Swagger UI at /api/docs (only the files it needs), the document at /api/docs-json. */
export function setupOpenApi(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, reply, done) => {
      const path = req.url.split('?')[0];
      if (isServedDocsPath(path)) return done();
      void reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `Cannot ${req.method} ${path}` });
    });
  SwaggerModule.setup('api/docs', app, buildOpenApi(app), { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
}
