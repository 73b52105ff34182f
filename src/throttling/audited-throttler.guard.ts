import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { AuditService } from 'src/audit/audit.service';

/** @nestjs/throttler's guard, counting per client (its tracker is clientKey's: an IPv6 /64 is one), with each refusal written to the audit log. */
@Injectable()
export class AuditedThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly audit: AuditService,
  ) {
    super(options, storage, reflector);
  }

  protected async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const req = context
      .switchToHttp()
      .getRequest<{ ip?: string; id?: string; url?: string; headers?: Record<string, string | undefined> }>();
    this.audit.record(
      'rate_limit.throttled',
      { ip: req.ip ?? '', reqId: req.id ?? '', userAgent: String(req.headers?.['user-agent'] ?? '') },
      { route: req.url?.split('?')[0], hits: detail.totalHits },
    );
    return super.throwThrottlingException(context, detail);
  }
}
