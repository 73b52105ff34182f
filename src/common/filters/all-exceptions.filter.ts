import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, Optional } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import {
  dependencyFailure,
  RETRY_AFTER_SECONDS,
  UNAVAILABLE_MESSAGE,
} from 'src/common/dependencies/dependency-failure';
import { Outages } from 'src/common/dependencies/outages';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/**
 * Messages for the request errors Fastify raises before a handler runs, so no
 * library code or wording reaches a client.
 */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is larger than 64 KiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Body must not be empty when Content-Type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Body is not valid JSON',
};

/** The one error shape of the contract, for everything any layer throws. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(@Optional() private readonly outages?: Outages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<ReplyLike>();
    const request = ctx.getRequest<{ id?: string; method?: string; url?: string }>();
    const body = this.toBody(exception, request?.id);
    // 429s, 503 Server busy, and a 409 for an Idempotency-Key still in use, say when to come back;
    // any other 503 is a dependency outage, retried after RETRY_AFTER_SECONDS.
    let retryAfter: number | undefined;
    if (exception instanceof HttpException && typeof exception.getResponse() === 'object') {
      retryAfter = (exception.getResponse() as { retryAfter?: number }).retryAfter;
    }
    if (retryAfter === undefined && body.statusCode === 503) retryAfter = RETRY_AFTER_SECONDS;
    if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
    reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown, requestId?: string): ErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      // 503 is the one 5xx answered on purpose (a dependency is down); any other is a bug.
      if (statusCode >= 500 && statusCode !== 503) return this.internal(exception, requestId, statusCode);
      return { statusCode, error: reason(statusCode), message: this.httpMessage(exception, statusCode) };
    }
    if (exception instanceof QueryFailedError && isUniqueViolation(exception)) {
      return { statusCode: 409, error: reason(409), message: 'Resource already exists' };
    }
    const dependency = dependencyFailure(exception);
    if (dependency) {
      // Logged once per outage episode (Outages), not once per request.
      this.outages?.failed(dependency, exception);
      return { statusCode: 503, error: reason(503), message: UNAVAILABLE_MESSAGE[dependency] };
    }
    return this.internal(exception, requestId, 500);
  }

  private httpMessage(exception: HttpException, statusCode: number): string | string[] {
    const code = (exception.cause as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && code.startsWith('FST_')) {
      return (
        FASTIFY_MESSAGES[code] ??
        (exception.cause instanceof SyntaxError ? FASTIFY_MESSAGES.FST_ERR_CTP_INVALID_JSON_BODY : reason(statusCode))
      );
    }
    if (exception.cause instanceof SyntaxError) {
      // secure-json-parse refuses prototype-poisoning keys with a SyntaxError of its own.
      return /forbidden (prototype|constructor) property/.test(exception.cause.message)
        ? 'Body must not contain "__proto__" or "constructor" keys'
        : FASTIFY_MESSAGES.FST_ERR_CTP_INVALID_JSON_BODY;
    }
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message) && message.every((m) => typeof m === 'string')) return message;
    return reason(statusCode);
  }

  private internal(exception: unknown, requestId: string | undefined, statusCode: number): ErrorBody {
    // Details go to the log only; the client gets the request id to quote.
    this.logger.error(
      {
        requestId,
        err:
          exception instanceof Error
            ? { name: exception.name, message: exception.message, stack: exception.stack }
            : exception,
      },
      'Unhandled error',
    );
    const message = requestId ? `Internal server error (request id ${requestId})` : 'Internal server error';
    return { statusCode, error: reason(statusCode), message: statusCode === 500 ? message : reason(statusCode) };
  }
}

function reason(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

/** SQLite's and PostgreSQL's unique-constraint failures. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; message?: string } | undefined;
  return (
    driverError?.code === '23505' ||
    (driverError?.code === 'SQLITE_CONSTRAINT' && /UNIQUE constraint failed/.test(driverError.message ?? ''))
  );
}
