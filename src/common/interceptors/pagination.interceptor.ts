import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { Page } from 'src/common/dto/pagination-query.dto';

interface ReplyLike {
  header(name: string, value: string): unknown;
}

/**
 * For a handler that returns a Page: the body is the JSON array of its items,
 * `X-Total-Count` the total, and `Link` the RFC 8288 next/prev pages.
 */
@Injectable()
export class PaginationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof Page)) return result;
        const http = context.switchToHttp();
        const reply = http.getResponse<ReplyLike>();
        const url = http.getRequest<{ url: string }>().url;
        reply.header('X-Total-Count', String(result.total));
        const links = pageLinks(url, result);
        if (links) reply.header('Link', links);
        return result.items as unknown[];
      }),
    );
  }
}

export function pageLinks(url: string, page: Page<unknown>): string {
  const [path, query = ''] = url.split('?', 2);
  const link = (offset: number, rel: string) => {
    const params = new URLSearchParams(query);
    params.set('limit', String(page.limit));
    params.set('offset', String(offset));
    return `<${path}?${params.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page.offset + page.limit < page.total) links.push(link(page.offset + page.limit, 'next'));
  if (page.offset > 0) links.push(link(Math.max(0, page.offset - page.limit), 'prev'));
  return links.join(', ');
}
