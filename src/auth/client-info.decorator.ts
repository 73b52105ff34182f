import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ClientInfo } from 'src/sessions/sessions.service';

/** The caller's address (Fastify applies TRUST_PROXY), request id and user agent, for the session record and audit. */
export const Client = createParamDecorator((_data: unknown, ctx: ExecutionContext): ClientInfo => {
  const req = ctx.switchToHttp().getRequest<{ ip: string; id: string; headers: Record<string, string | undefined> }>();
  return { ip: req.ip ?? '', reqId: req.id, userAgent: String(req.headers['user-agent'] ?? '') };
});
