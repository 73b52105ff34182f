import { IsIn, IsString } from 'class-validator';
import { IsAcceptablePassword, NotContainingUsername } from 'src/common/password-policy';
import { Role, ROLES } from 'src/auth/role.enum';
import { IsUsername } from 'src/users/username';

/** POST /api/users (admin). */
export class CreateUserDto {
  @IsUsername()
  username: string;

  @IsString()
  @IsAcceptablePassword()
  @NotContainingUsername()
  password: string;

  @IsIn(ROLES)
  role: Role;
}
