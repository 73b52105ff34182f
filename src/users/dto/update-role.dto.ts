import { IsIn } from 'class-validator';
import { Role, ROLES } from 'src/auth/role.enum';

/** PATCH /api/users/:id/role (admin). */
export class UpdateRoleDto {
  @IsIn(ROLES)
  role: Role;
}
