import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { Page } from 'src/common/dto/pagination-query.dto';

interface ReplyLike {
  header(name: string, value: string): unknown;
}

/**
 * For a handler that returns a Page: the body is the JSON array of its items,
 * `X-Total-Count` the total, and `Link` the RFC 8288 next/prev pages (next by
 * `after_id` for a list paged by key).
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
  const link = (rel: string, set: Record<string, number>, drop?: string) => {
    const params = new URLSearchParams(query);
    if (drop) params.delete(drop);
    params.set('limit', String(page.limit));
    for (const [name, value] of Object.entries(set)) params.set(name, String(value));
    return `<${path}?${params.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page.nextAfterId === undefined) {
    if (page.offset + page.limit < page.total) links.push(link('next', { offset: page.offset + page.limit }));
  } else if (page.nextAfterId !== null) {
    // Paged by key: the next page starts after the last row, however deep, at the cost of a shallow page.
    links.push(link('next', { after_id: page.nextAfterId }, 'offset'));
  }
  if (page.offset > 0) links.push(link('prev', { offset: Math.max(0, page.offset - page.limit) }));
  return links.join(', ');
}
