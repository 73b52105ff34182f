import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponse } from 'src/common/dto/error-response';
import { errorResponse } from 'src/docs/error-examples';
import { IdempotencyInterceptor, KEY_INVALID } from 'src/idempotency/idempotency.interceptor';
import { KEY_IN_PROGRESS, KEY_REUSED } from 'src/idempotency/idempotency.service';

/** On a replayed 201 (pass as `headers` of the create's @Returns). */
export const IDEMPOTENT_REPLAYED = {
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string' as const, enum: ['true'] },
  },
};

const error = (status: 409 | 422, messages: string[]) =>
  ApiResponse({ status, ...errorResponse({ status, messages }, getSchemaPath(ErrorResponse)) });

/**
 * A create (201) that honours `Idempotency-Key`; the module must import IdempotencyModule.
 * `conflicts`: the create's own 409 messages, shown beside the key's (one 409 per operation).
 */
export const IdempotentCreate = ({ conflicts = [] }: { conflicts?: string[] } = {}) =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any 1 to 255 printable ASCII characters (e.g. a UUID). Retrying with the same key and body within 24 h ' +
        'replays the first 201 (with `Idempotent-Replayed: true`) and creates nothing. ' +
        `Anything else is 400 "${KEY_INVALID}".`,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
    ApiExtraModels(ErrorResponse),
    error(409, [KEY_IN_PROGRESS, ...conflicts]),
    error(422, [KEY_REUSED]),
  );
