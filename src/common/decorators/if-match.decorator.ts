import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { matchingVersions, parseEntityTags } from 'src/common/http/entity-tags';

/**
 * The versions the request's `If-Match` allows (an empty list matches nothing),
 * or undefined when it sets no condition (absent or `*`). A malformed header is 400.
 */
export const IfMatch = createParamDecorator((_data: unknown, ctx: ExecutionContext): number[] | undefined => {
  const headers = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers;
  return matchingVersions(parseEntityTags(headers['if-match'], 'If-Match'));
});
