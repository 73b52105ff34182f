import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { ApiPassword, IsAcceptablePassword } from 'src/common/password-policy';

/** PATCH /api/me/password (fresh token). */
export class ChangePasswordDto {
  @ApiProperty({ maxLength: 1024, format: 'password' })
  @IsString()
  @MaxLength(1024)
  current_password: string;

  @ApiPassword()
  @IsString()
  @IsAcceptablePassword()
  new_password: string;
}
