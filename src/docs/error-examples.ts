import type { ResponseObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { CsrfMessage } from 'src/auth/guards/cookies';
import { TokenMessage } from 'src/auth/guards/token-errors';
import { ADMIN_REQUIRED } from 'src/auth/guards/roles.guard';
import { missingScope, PAT_NOT_ALLOWED } from 'src/auth/guards/scopes.guard';
import { Scope } from 'src/auth/scope.enum';
import { SERVER_BUSY, TOO_MANY_REQUESTS } from 'src/common/http/retry-later';

/** The error statuses the service answers on purpose (docs/API.md, "Errors"). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 422 | 429 | 503;

type Message = string | readonly string[];

/** What each status means and the contract's messages for it, shown as examples in the document. */
export const ERROR_EXAMPLES: Record<ErrorStatus, { description: string; messages: readonly Message[] }> = {
  400: {
    description:
      'Bad input: a rule of the body, a query parameter or a path parameter is broken (one message per rule)',
    messages: [
      ['title must be longer than or equal to 1 characters'],
      'Body is not valid JSON',
      ['id must be an integer'],
    ],
  },
  401: {
    description: 'No valid credentials: the token is missing, malformed, expired, revoked or of the wrong type',
    messages: [
      TokenMessage.missingHeader,
      TokenMessage.notBearer,
      TokenMessage.invalid,
      TokenMessage.badSignature,
      TokenMessage.expired,
      TokenMessage.accessOnly,
      TokenMessage.revoked,
      CsrfMessage.missing,
      CsrfMessage.mismatch,
    ],
  },
  403: { description: 'Authenticated, but not allowed', messages: [ADMIN_REQUIRED] },
  404: { description: 'No such resource (or not the caller’s)', messages: ['Task not found'] },
  405: {
    description: 'The path exists but not with this method; `Allow` lists the methods it has',
    messages: ['Method PUT is not allowed on /api/tasks/1'],
  },
  409: { description: 'Conflicts with an existing resource', messages: ['Resource already exists'] },
  412: { description: 'The If-Match condition failed: the resource has changed', messages: [] },
  413: { description: 'The body is larger than 64 KiB', messages: ['Request body is larger than 64 KiB'] },
  415: { description: 'The body is not JSON', messages: ['Content-Type must be application/json'] },
  422: { description: 'Well-formed, but cannot be processed as sent', messages: [] },
  429: { description: 'Too many requests; try again after `Retry-After` seconds', messages: [TOO_MANY_REQUESTS] },
  503: {
    description: 'A dependency (database, Redis, disk) is unavailable; try again after `Retry-After` seconds',
    messages: [SERVER_BUSY, 'Service Unavailable'],
  },
};

/** Retry-After: always on a 429; on any other error when the service knows when to try again (a 503, a 409 in progress). */
const RETRY_AFTER_REQUIRED = new Set<ErrorStatus>([429]);

/** An error status with its own messages (e.g. login's 401 is only ever "Invalid credentials"). */
export interface ErrorSpec {
  status: ErrorStatus;
  messages: readonly Message[];
  description?: string;
}

/** The OpenAPI response object of an error status: the one error shape, the messages as examples. */
export function errorResponse(spec: ErrorStatus | ErrorSpec, errorSchemaRef: string): ResponseObject {
  const status = typeof spec === 'number' ? spec : spec.status;
  const { description, messages } =
    typeof spec === 'number' ? ERROR_EXAMPLES[status] : { ...ERROR_EXAMPLES[status], ...spec };
  return {
    description,
    headers: {
      'Retry-After': {
        description: 'Seconds to wait before trying again',
        required: RETRY_AFTER_REQUIRED.has(status),
        schema: { type: 'integer' as const, minimum: 0 },
      },
    },
    content: {
      'application/json': {
        schema: { $ref: errorSchemaRef },
        examples: Object.fromEntries(
          messages.map((message, i) => [
            `example${i + 1}`,
            {
              summary: typeof message === 'string' ? message : message.join('; '),
              value: { statusCode: status, error: STATUS_CODES[status], message },
            },
          ]),
        ),
      },
    },
  };
}

/**
 * What any operation taking an access token can also answer: a personal access token is
 * refused where the operation lists no scopes (or lacks one it lists), and an address
 * guessing unknown tokens, or a user past WRITE_RATE_LIMIT_PER_MINUTE, is 429.
 */
export function accessTokenErrors(patScopes: readonly Scope[] | undefined, write: boolean): ErrorSpec[] {
  const tooMany: ErrorSpec = {
    status: 429,
    messages: [TOO_MANY_REQUESTS],
    description: write
      ? 'Too many unknown personal access tokens from this address, or too many writes by this user; try again after `Retry-After` seconds'
      : 'Too many unknown personal access tokens from this address; try again after `Retry-After` seconds',
  };
  // `@AnyScope()` (an empty list): every personal access token passes.
  if (patScopes?.length === 0) return [tooMany];
  return [{ status: 403, messages: patScopes ? patScopes.map(missingScope) : [PAT_NOT_ALLOWED] }, tooMany];
}

/** Marks an operation behind the rate limit; buildOpenApi turns it into headers on every answer. */
export const RATE_LIMITED = 'x-rate-limited';

/** What @nestjs/throttler sends on every answer of a rate-limited route that reached its guard (not on a 413 or 415). */
export const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': {
    description: 'Requests allowed per window from this client address',
    schema: { type: 'integer' as const, minimum: 0 },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current window',
    schema: { type: 'integer' as const, minimum: 0 },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the window resets',
    schema: { type: 'integer' as const, minimum: 0 },
  },
};
