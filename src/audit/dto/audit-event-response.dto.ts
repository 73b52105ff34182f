import { AUDIT_EVENT_TYPES, type AuditEventType } from 'src/audit/audit.service';
import { AuditEvent } from 'src/audit/audit-event.entity';
import { ApiProperty } from '@nestjs/swagger';

/** A stored security event: who did what, to whom, from where. */
export class AuditEventResponse {
  @ApiProperty({ type: 'integer', minimum: 1 })
  id: number;

  @ApiProperty({ enum: AUDIT_EVENT_TYPES })
  type: AuditEventType;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Who acted; null for an anonymous client (a failed login)',
  })
  actor_id: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The user the event is about' })
  user_id: number | null;

  @ApiProperty({ description: 'The client address', example: '127.0.0.1' })
  ip: string;

  @ApiProperty()
  user_agent: string;

  @ApiProperty({ description: 'The X-Request-Id of the request, as in the access log' })
  request_id: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Event-specific fields: `session_id`, `token_id`, `from`/`to` roles, `username` tried, …',
  })
  details: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

export function toAuditEventResponse(e: AuditEvent): AuditEventResponse {
  return {
    id: e.id,
    type: e.type as AuditEventType,
    actor_id: e.actorId,
    user_id: e.userId,
    ip: e.ip,
    user_agent: e.userAgent,
    request_id: e.requestId,
    details: parseDetails(e.details),
    created_at: e.createdAt.toISOString(),
  };
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Cut at 2,000 characters when stored: keep what there is rather than fail the list.
    return { truncated: text };
  }
}
