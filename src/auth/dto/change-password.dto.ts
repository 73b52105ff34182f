import { IsString, MaxLength } from 'class-validator';
import { IsAcceptablePassword } from 'src/common/password-policy';

/** PATCH /api/me/password (fresh token). */
export class ChangePasswordDto {
  @IsString()
  @MaxLength(1024)
  current_password: string;

  @IsString()
  @IsAcceptablePassword()
  new_password: string;
}
