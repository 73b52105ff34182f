import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Min,
} from 'class-validator';
import { Scope } from 'src/auth/scope.enum';

export class CreateTokenDto {
  /** What the token is for, to recognise it in the list ("backup script"). */
  @ApiProperty({ minLength: 1, maxLength: 100, description: 'What the token is for', example: 'backup script' })
  @IsString()
  @Length(1, 100)
  name: string;

  /** What the token may do; `products:write` and `users:read` only for admins. */
  @ApiProperty({
    enum: Scope,
    enumName: 'Scope',
    isArray: true,
    minItems: 1,
    maxItems: 5,
    uniqueItems: true,
    description: 'What the token may do; `products:write` and `users:read` only for admins',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsEnum(Scope, { each: true, message: `each value in scopes must be one of: ${Object.values(Scope).join(', ')}` })
  scopes: Scope[];

  /** Days until the token expires: 1 to PAT_MAX_TTL_DAYS (default 365); 30 when omitted. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    default: 30,
    description: 'Days until the token expires, at most PAT_MAX_TTL_DAYS (365 unless configured)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expires_in_days: number = 30;
}
