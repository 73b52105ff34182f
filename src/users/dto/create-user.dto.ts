import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { ApiPassword, IsAcceptablePassword, NotContainingUsername } from 'src/common/password-policy';
import { Role, ROLES } from 'src/auth/role.enum';
import { ApiUsername, IsUsername } from 'src/users/username';

/** POST /api/users (admin). */
export class CreateUserDto {
  @ApiUsername()
  @IsUsername()
  username: string;

  @ApiPassword()
  @IsString()
  @IsAcceptablePassword()
  @NotContainingUsername()
  password: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'user' })
  @IsIn(ROLES)
  role: Role;
}
