import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /api/login. Only shape is checked: policy rules would tell which usernames can exist. */
export class LoginDto {
  @ApiProperty({ maxLength: 64, example: 'alice' })
  @IsString()
  @MaxLength(64)
  username: string;

  @ApiProperty({ maxLength: 1024, format: 'password' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({
    description:
      'Cookie transport for browsers: tokens in HttpOnly cookies, a csrf_token cookie to echo in X-CSRF-Token',
  })
  @IsOptional()
  @IsBoolean()
  use_cookies?: boolean;
}
