import { Role } from 'src/auth/role.enum';

/** A user as clients see it: never a password hash. */
export interface UserResponse {
  id: number;
  username: string;
  role: Role;
  created_at: string;
}

export function toUserResponse(user: { id: number; username: string; role: Role; createdAt: Date }): UserResponse {
  return { id: user.id, username: user.username, role: user.role, created_at: user.createdAt.toISOString() };
}
