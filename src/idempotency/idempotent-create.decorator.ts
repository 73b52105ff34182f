import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { IdempotencyInterceptor, KEY_INVALID } from 'src/idempotency/idempotency.interceptor';
import { KEY_IN_PROGRESS, KEY_REUSED } from 'src/idempotency/idempotency.service';

/** A create (201) that honours `Idempotency-Key`; the module must import IdempotencyModule. */
export const IdempotentCreate = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any 1 to 255 printable ASCII characters (e.g. a UUID). Retrying with the same key and body within 24 h ' +
        'replays the first 201 (with `Idempotent-Replayed: true`) and creates nothing.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
    ApiResponse({ status: 400, description: KEY_INVALID }),
    ApiConflictResponse({ description: `${KEY_IN_PROGRESS} (retry after Retry-After seconds)` }),
    ApiUnprocessableEntityResponse({ description: KEY_REUSED }),
  );
