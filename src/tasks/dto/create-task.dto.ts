import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from 'src/common/dto/optional';

/** POST /api/tasks. The owner is always the caller: `user_id` is not a field. */
export class CreateTaskDto {
  @IsString()
  @Length(1, 200)
  title: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @IsOptionalNotNull()
  @IsBoolean()
  done?: boolean;
}
