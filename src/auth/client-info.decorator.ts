import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ClientInfo } from 'src/sessions/sessions.service';

/** The caller's address (Fastify applies TRUST_PROXY) and user agent, for the session record. */
export const Client = createParamDecorator((_data: unknown, ctx: ExecutionContext): ClientInfo => {
  const req = ctx.switchToHttp().getRequest<{ ip: string; headers: Record<string, string | undefined> }>();
  return { ip: req.ip ?? '', userAgent: String(req.headers['user-agent'] ?? '') };
});
