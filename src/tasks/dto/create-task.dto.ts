import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from 'src/common/dto/optional';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;

/** POST /api/tasks. The owner is always the caller: `user_id` is not a field. */
export class CreateTaskDto {
  @ApiProperty({ minLength: 1, maxLength: TITLE_MAX, example: 'Buy milk' })
  @IsString()
  @Length(1, TITLE_MAX)
  title: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: DESCRIPTION_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX)
  description?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOptionalNotNull()
  @IsBoolean()
  done?: boolean;
}
