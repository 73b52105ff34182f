import { Session } from 'src/sessions/session.entity';

export interface SessionResponse {
  id: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  ip: string;
  user_agent: string;
  /** True for the session of the token that made this request. */
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
