import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponse } from 'src/common/dto/error-response';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

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
    .setVersion('0.5.0')
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

/** Swagger UI at /api/docs, the document at /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, buildOpenApi(app), { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
}
