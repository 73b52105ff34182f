import { IsIn } from 'class-validator';
import { Role, ROLES } from 'src/users/role.enum';

/** PATCH /api/users/:id/role (admin). */
export class UpdateRoleDto {
  @IsIn(ROLES)
  role: Role;
}
