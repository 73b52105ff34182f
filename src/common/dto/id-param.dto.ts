import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { StrictInt } from 'src/common/dto/strict-int';

export const MAX_ID = 2_147_483_647;

/** `:id` of a user, product or task: an integer from 1 to 2,147,483,647. */
export class IdParamDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID, example: 1 })
  @StrictInt()
  @IsInt({ message: 'id must be an integer' })
  @Min(1)
  @Max(MAX_ID)
  id: number;
}
