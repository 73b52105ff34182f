import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponse } from 'src/common/dto/error-response';
import { VERSION_MISMATCH } from 'src/common/http/entity-tags';
import { errorResponse } from 'src/docs/error-examples';

/** The strong entity tag sent with one versioned resource (pass as `headers` of its @Returns). */
export const ETAG = {
  ETag: { description: 'Strong entity tag of this version, e.g. "3"', schema: { type: 'string' as const } },
};

const MALFORMED = (name: string) => `${name} must be "*" or a list of entity tags such as "3"`;

/** OpenAPI: a GET of one versioned resource (ETag, If-None-Match, 304). */
export const ApiConditionalRead = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag from an earlier answer: 304 with no body while it is still current.',
    }),
    ApiResponse({ status: 304, description: 'Not modified: the If-None-Match tag is current', headers: ETAG }),
    ApiExtraModels(ErrorResponse),
    ApiResponse({
      status: 400,
      ...errorResponse(
        { status: 400, messages: [['id must be an integer'], MALFORMED('If-None-Match')] },
        getSchemaPath(ErrorResponse),
      ),
    }),
  );

/** OpenAPI: a PATCH or DELETE of one versioned resource (If-Match, 412). */
export const ApiConditionalWrite = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'Only write if the resource still has this ETag (or `*`): of two clients, only the first wins.',
    }),
    ApiExtraModels(ErrorResponse),
    ApiResponse({
      status: 412,
      ...errorResponse({ status: 412, messages: [VERSION_MISMATCH] }, getSchemaPath(ErrorResponse)),
    }),
  );
