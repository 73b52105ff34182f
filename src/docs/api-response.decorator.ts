import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponse } from 'src/common/dto/error-response';
import { Page } from 'src/common/dto/pagination-query.dto';
import { errorResponse, ErrorSpec, ErrorStatus, RATE_LIMITED } from 'src/docs/error-examples';

/**
 * A method decorator that only fits a handler returning `R` (or a promise of it): the
 * compiler then refuses a handler whose answer differs from what the document declares.
 */
type TypedHandlerDecorator<R> = <F extends (...args: never[]) => R | Promise<R>>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<F>,
) => void;

const typed = <R>(decorator: MethodDecorator): TypedHandlerDecorator<R> => decorator;

type Headers = Record<string, { description: string; schema: { type: 'string' } }>;

export interface OperationDocs {
  /** camelCase verb + noun, unique in the document: `listTasks`, `createTask`. */
  id: string;
  summary: string;
  description?: string;
  /**
   * The error answers of this operation beyond those buildOpenApi adds to every
   * operation of its kind (400 with a body or parameters, 401 when authenticated,
   * 404 with an `{id}`, 413/415 with a body, 503 everywhere).
   */
  errors?: Array<ErrorStatus | ErrorSpec>;
  /** Response headers of the success answer (e.g. Set-Cookie). */
  headers?: Headers;
  /** Behind the per-address rate limit: every answer carries the X-RateLimit-* headers, and 429 is possible. */
  rateLimited?: boolean;
}

const operation = ({ id, summary, description, errors = [], rateLimited }: OperationDocs) =>
  applyDecorators(
    ApiOperation({ operationId: id, summary, description }),
    ApiExtraModels(ErrorResponse),
    ...(rateLimited ? [ApiExtension(RATE_LIMITED, true)] : []),
    ...[...errors, ...(rateLimited ? [429 as const] : [])].map((spec) =>
      ApiResponse({
        status: typeof spec === 'number' ? spec : spec.status,
        ...errorResponse(spec, getSchemaPath(ErrorResponse)),
      }),
    ),
  );

const nameOf = (type: Type<unknown>) => type.name.replace(/Response$/, '');

/** The handler answers `status` (200 unless said) with one `type` as JSON. */
export function Returns<R>(type: Type<R>, docs: OperationDocs & { status?: 200 | 201 }): TypedHandlerDecorator<R> {
  return typed<R>(
    applyDecorators(
      operation(docs),
      ApiResponse({ status: docs.status ?? 200, description: nameOf(type), type, headers: docs.headers }),
    ),
  );
}

/**
 * The answer is one of several shapes (the token routes: body or cookie transport). `R` is
 * what the handler returns for an interceptor to turn into one of `types`.
 */
export function ReturnsOneOf<R>(types: Array<Type<unknown>>, docs: OperationDocs): TypedHandlerDecorator<R> {
  return typed<R>(
    applyDecorators(
      operation(docs),
      ApiExtraModels(...types),
      ApiResponse({
        status: 200,
        description: types.map(nameOf).join(' or '),
        headers: docs.headers,
        content: { 'application/json': { schema: { oneOf: types.map((t) => ({ $ref: getSchemaPath(t) })) } } },
      }),
    ),
  );
}

/** A paginated list: a JSON array of `type`, the total in X-Total-Count, neighbours in Link. */
export function ReturnsPage<T>(type: Type<T>, docs: OperationDocs): TypedHandlerDecorator<Page<T>> {
  return typed<Page<T>>(
    applyDecorators(
      operation(docs),
      ApiExtraModels(type),
      ApiResponse({
        status: 200,
        description: `A page of ${nameOf(type)} items`,
        headers: {
          'X-Total-Count': {
            description: 'How many items the whole list has',
            required: true,
            schema: { type: 'integer', minimum: 0 },
          },
          Link: {
            description: 'RFC 8288 links to the next and previous pages (rel="next", rel="prev"), when there are any',
            schema: { type: 'string' },
          },
        },
        content: { 'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(type) } } } },
      }),
    ),
  );
}

/** 204 with no body. `R` is what the handler returns for an interceptor to turn into nothing (void by default). */
export function ReturnsNothing<R = void>(docs: OperationDocs): TypedHandlerDecorator<R> {
  return typed<R>(
    applyDecorators(
      operation(docs),
      ApiResponse({ status: 204, description: 'Done; no content', headers: docs.headers }),
    ),
  );
}
