import { ApiProperty } from '@nestjs/swagger';
import { MAX_ID } from 'src/common/dto/id-param.dto';
import { Role, ROLES } from 'src/auth/role.enum';
import { USERNAME_PATTERN } from 'src/users/username';

/** A user as clients see it: never a password hash. */
export class UserResponse {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID, example: 1 })
  id: number;

  @ApiProperty({ pattern: USERNAME_PATTERN.source, example: 'alice' })
  username: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'user' })
  role: Role;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

export function toUserResponse(user: { id: number; username: string; role: Role; createdAt: Date }): UserResponse {
  return { id: user.id, username: user.username, role: user.role, created_at: user.createdAt.toISOString() };
}
