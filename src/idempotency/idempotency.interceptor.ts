import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { createHash } from 'node:crypto';
import { catchError, concatMap, from, Observable, of, switchMap } from 'rxjs';
import stringify from 'safe-stable-stringify';
import type { AuthUser } from 'src/auth/auth-user';
import { Outages } from 'src/common/dependencies/outages';
import { IdempotencyService } from 'src/idempotency/idempotency.service';

interface RequestLike {
  method: string;
  body: unknown;
  user?: AuthUser;
  headers: Record<string, string | string[] | undefined>;
  routeOptions: { url?: string };
}

interface ReplyLike {
  header(name: string, value: string): unknown;
}

/** Printable ASCII, as opaque as the draft's sf-string allows; long enough for a UUID or a hash. */
const KEY = /^[\x20-\x7e]{1,255}$/;
export const KEY_INVALID = 'Idempotency-Key must be 1 to 255 printable ASCII characters';

/**
 * `Idempotency-Key` on a create (draft-ietf-httpapi-idempotency-key-header):
 * the same key from the same caller with the same body replays the first
 * answer and creates nothing; with another body it is 422; while the first
 * runs, 409. Only a successful answer is kept: after a 4xx or 503 the key may be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly outages: Outages,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestLike>();
    const header = request.headers['idempotency-key'];
    if (header === undefined) return next.handle();
    if (typeof header !== 'string' || !KEY.test(header)) throw new BadRequestException(KEY_INVALID);
    // The guards ran first: the caller is the authenticated user, never something in the body.
    const userId = request.user!.id;
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    // Canonical JSON (sorted keys), so the same body in another key order or spacing is the same request.
    const requestHash = createHash('sha256')
      .update(stringify(request.body ?? null) ?? '')
      .digest('hex');
    return from(this.idempotency.claim(userId, route, header, requestHash)).pipe(
      switchMap((claim) => {
        if (claim.replay) {
          http.getResponse<ReplyLike>().header('Idempotent-Replayed', 'true');
          return of(claim.body);
        }
        return next.handle().pipe(
          catchError(async (error: unknown) => {
            await this.idempotency.release(claim.id).catch((releaseError: Error) => {
              // The key then stays claimed until its lease runs out (IDEMPOTENCY_LEASE_MS).
              if (!this.outages.absorbed(releaseError)) {
                this.logger.warn(`Releasing an idempotency key failed: ${releaseError.message}`);
              }
            });
            throw error;
          }),
          concatMap(async (body: unknown) => {
            // The create succeeded: its answer goes out even if recording it fails.
            await this.idempotency.complete(claim.id, HttpStatus.CREATED, body).catch((recordError: Error) => {
              if (!this.outages.absorbed(recordError)) {
                this.logger.warn(`Recording an idempotent answer failed: ${recordError.message}`);
              }
            });
            return body;
          }),
        );
      }),
    );
  }
}
