import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { VERSION_MISMATCH } from 'src/common/http/entity-tags';

const ETAG = { ETag: { description: 'Strong entity tag of this version, e.g. "3"', schema: { type: 'string' } } };

/** OpenAPI: a GET of one versioned resource (ETag, If-None-Match, 304). */
export const ApiConditionalRead = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag from an earlier answer: 304 with no body while it is still current.',
    }),
    ApiResponse({ status: 304, description: 'Not modified: the If-None-Match tag is current', headers: ETAG }),
  );

/** OpenAPI: a PATCH or DELETE of one versioned resource (If-Match, 412). */
export const ApiConditionalWrite = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'Only write if the resource still has this ETag (or `*`): of two clients, only the first wins.',
    }),
    ApiResponse({ status: 412, description: VERSION_MISMATCH }),
  );
