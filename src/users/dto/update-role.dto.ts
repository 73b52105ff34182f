import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Role, ROLES } from 'src/auth/role.enum';

/** PATCH /api/users/:id/role (admin). */
export class UpdateRoleDto {
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'user' })
  @IsIn(ROLES)
  role: Role;
}
