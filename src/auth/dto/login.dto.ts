import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /api/login. Only shape is checked: policy rules would tell which usernames can exist. */
export class LoginDto {
  @IsString()
  @MaxLength(64)
  username: string;

  @IsString()
  @MaxLength(1024)
  password: string;

  @IsOptional()
  @IsBoolean()
  use_cookies?: boolean;
}
