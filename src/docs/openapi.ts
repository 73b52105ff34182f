import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ResponseObject } from '@nestjs/swagger';
import { PAT_SCHEME, PAT_SCOPES_EXTENSION, Scope } from 'src/auth/scope.enum';
import { ErrorResponse } from 'src/common/dto/error-response';
import {
  accessTokenErrors,
  errorResponse,
  ErrorSpec,
  ErrorStatus,
  RATE_LIMIT_HEADERS,
  RATE_LIMITED,
} from 'src/docs/error-examples';

type PathItem = OpenAPIObject['paths'][string];
type Operation = NonNullable<PathItem['get']>;
type Schema = Record<string, unknown>;

/** The service's version, as package.json says (src/docs and dist/docs both sit two levels down). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export const BEARER = 'bearer';
export const COOKIE = 'cookie';
export const PAT = PAT_SCHEME;
export const REFRESH_BEARER = 'refreshBearer';
export const REFRESH_COOKIE = 'refreshCookie';

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);
const COOKIE_SCHEMES = [COOKIE, REFRESH_COOKIE];

const TAGS: Record<string, string> = {
  auth: 'Sign-up, login, token refresh, logout, the caller and their password',
  sessions: 'The caller’s logins (sessions)',
  users: 'User accounts (mostly admin)',
  products: 'The catalogue: read by every user, run by admins',
  tasks: 'The caller’s own tasks',
  tokens: 'Personal access tokens for scripts: scoped, revocable, never a session',
  audit: 'Stored security events: the caller’s own, or everyone’s for admins',
  health: 'Liveness and readiness probes',
  keys: 'Public keys that verify the tokens',
};

/**
 * The OpenAPI document, built from the decorators only (no CLI plugin, so tests
 * and production serve the same document). On top of what @nestjs/swagger
 * emits, rules every operation of a kind shares are applied here, so a new route
 * gets them without anyone remembering: see `applyHouseRules`.
 */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('task-api')
    .setDescription(
      'JWT-authenticated REST API: users, sessions, products and tasks. Errors always have the shape of ErrorResponse. ' +
        'Lists are JSON arrays with the total in `X-Total-Count` and the neighbouring pages in `Link`. ' +
        'Browsers may use cookie transport (POST /api/login with use_cookies) and then echo the csrf_token cookie in ' +
        '`X-CSRF-Token` on every POST, PUT, PATCH and DELETE. Every answer carries `X-Request-Id`. ' +
        "Any request whose headers or body stall past the server's timeouts (HEADERS_TIMEOUT, REQUEST_TIMEOUT) is " +
        'answered 408 in the error shape and its connection closed.',
    )
    .setVersion(packageVersion())
    .setLicense('UNLICENSED', 'https://choosealicense.com/no-permission/')
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token' }, BEARER)
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
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'The refresh token (POST /api/refresh only)',
      },
      REFRESH_BEARER,
    )
    .addCookieAuth('refresh_token', { type: 'apiKey', in: 'cookie', name: 'refresh_token' }, REFRESH_COOKIE);
  for (const [name, description] of Object.entries(TAGS)) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ErrorResponse] });
  applyHouseRules(document);
  return document;
}

/** Rules that hold for every operation of a kind; exported for the spec that checks them. */
export function applyHouseRules(document: OpenAPIObject): void {
  const errorRef = getSchemaPath(ErrorResponse);
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const schema of Object.values(schemas)) closeObjects(schema);
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation: Operation | undefined = pathItem[method];
      if (!operation) continue;
      const changes = STATE_CHANGING.has(method);
      // Deny by default in the server; in the document an open route says so explicitly.
      operation.security ??= [];
      const authenticated = operation.security.length > 0;
      if (changes && operation.security.some((s) => COOKIE_SCHEMES.some((name) => name in s))) {
        operation.parameters = [...(operation.parameters ?? []), CSRF_HEADER];
      }
      if (method === 'patch') requireOneField(operation, schemas);
      const automatic: ErrorStatus[] = [];
      const hasInput = changes || (operation.parameters ?? []).some((p) => 'in' in p && p.in !== 'header');
      if (hasInput) automatic.push(400);
      if (authenticated) automatic.push(401);
      if (changes) automatic.push(413, 415);
      automatic.push(503);
      for (const status of automatic) {
        if (operation.responses[status]) continue;
        operation.responses[status] = errorResponse(status, errorRef);
      }
      if (operation.security.some((s) => BEARER in s)) {
        const patScopes = Reflect.get(operation, PAT_SCOPES_EXTENSION) as Scope[] | undefined;
        for (const spec of accessTokenErrors(patScopes, changes)) addErrorExamples(operation, spec, errorRef);
      }
      operation.responses = sortByStatus(operation.responses);
      if (Reflect.get(operation, RATE_LIMITED)) addRateLimitHeaders(operation);
    }
  }
}

const CSRF_HEADER = {
  name: 'X-CSRF-Token',
  in: 'header' as const,
  required: false,
  description:
    'Required when the request is authenticated by cookie: the value of the csrf_token cookie (double submit). ' +
    'Absent: 401 "Missing CSRF token"; different: 401 "CSRF double submit tokens do not match".',
  schema: { type: 'string' as const },
};

/** Unknown fields are refused everywhere (the validation pipe's forbidNonWhitelisted), and never sent. */
function closeObjects(schema: Schema): void {
  if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  for (const value of Object.values(schema.properties ?? {})) closeObjects(value as Schema);
  if (schema.items) closeObjects(schema.items as Schema);
}

/** A PATCH body that sets nothing is 400 (requireChange): the document says at least one field. */
function requireOneField(operation: Operation, schemas: Record<string, Schema>): void {
  const body = operation.requestBody;
  const ref = body && 'content' in body ? body.content['application/json']?.schema : undefined;
  if (ref && '$ref' in ref) {
    const schema = schemas[ref.$ref.replace('#/components/schemas/', '')];
    if (schema) schema.minProperties = 1;
  }
}

/** Declares an error answer, or adds the spec's messages as examples to the one already declared. */
function addErrorExamples(operation: Operation, spec: ErrorSpec, errorRef: string): void {
  const declared = operation.responses[spec.status] as ResponseObject | undefined;
  const fresh = errorResponse(spec, errorRef);
  if (!declared) {
    operation.responses[spec.status] = fresh;
    return;
  }
  const examples = declared.content?.['application/json']?.examples;
  const added = fresh.content?.['application/json']?.examples ?? {};
  if (!examples) return;
  let n = Object.keys(examples).length;
  for (const example of Object.values(added)) {
    if (Object.values(examples).some((e) => JSON.stringify(e) === JSON.stringify(example))) continue;
    examples[`example${++n}`] = example;
  }
}

/** The limiter's headers on every answer of the operation, which it counts (refusals included). */
function addRateLimitHeaders(operation: Operation): void {
  Reflect.deleteProperty(operation, RATE_LIMITED);
  for (const response of Object.values(operation.responses)) {
    if (!response || '$ref' in response) continue;
    response.headers = { ...RATE_LIMIT_HEADERS, ...response.headers };
  }
}

function sortByStatus(responses: Operation['responses']): Operation['responses'] {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
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
