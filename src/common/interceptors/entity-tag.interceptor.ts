import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { entityTag, noneMatchHits, parseEntityTags } from 'src/common/http/entity-tags';

interface ReplyLike {
  header(name: string, value: string): unknown;
}

interface RequestLike {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * For handlers that answer one versioned resource (a body with a numeric
 * `version`): a strong `ETag`, and on GET a `304 Not Modified` without a body
 * when `If-None-Match` names it (RFC 9110 §13.1.2). Lists pass through untouched.
 */
@Injectable()
export class EntityTagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestLike>();
    // Parsed before the handler runs, so a malformed header is a 400 that did nothing.
    const noneMatch =
      request.method === 'GET' ? parseEntityTags(request.headers['if-none-match'], 'If-None-Match') : undefined;
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (typeof version !== 'number' || Array.isArray(body)) return body;
        const tag = entityTag(version);
        if (!noneMatchHits(noneMatch, version)) {
          http.getResponse<ReplyLike>().header('ETag', tag);
          return body;
        }
        // A web Response is the whole answer in Nest 12: its status wins over the route's 200.
        return new Response(null, { status: 304, headers: { ETag: tag } });
      }),
    );
  }
}
