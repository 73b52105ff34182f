import { ApiProperty } from '@nestjs/swagger';
import { Session } from 'src/sessions/session.entity';

export class SessionResponse {
  @ApiProperty({ format: 'uuid', description: 'The `sid` claim of the tokens this session issued' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  last_used_at: string;

  @ApiProperty({ format: 'date-time' })
  expires_at: string;

  @ApiProperty({ maxLength: 64, description: 'The client address that logged in', example: '127.0.0.1' })
  ip: string;

  @ApiProperty({ maxLength: 512 })
  user_agent: string;

  @ApiProperty({ description: 'True for the session of the token that made this request' })
  current: boolean;
}

export function toSessionResponse(s: Session, currentSessionId: string): SessionResponse {
  return {
    id: s.id,
    created_at: s.createdAt.toISOString(),
    last_used_at: s.lastUsedAt.toISOString(),
    expires_at: s.expiresAt.toISOString(),
    ip: s.ip,
    user_agent: s.userAgent,
    current: s.id === currentSessionId,
  };
}
