import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsPrice, MAX_PRICE, PRICE_STEP } from 'src/common/dto/money';

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 2000;

/** POST /api/products (admin). */
export class CreateProductDto {
  @ApiProperty({ minLength: 1, maxLength: NAME_MAX, example: 'Coffee beans, 1 kg' })
  @IsString()
  @Length(1, NAME_MAX)
  name: string;

  @ApiProperty({
    minimum: 0,
    maximum: MAX_PRICE,
    multipleOf: PRICE_STEP,
    example: 9.99,
    description: 'A JSON number with at most 2 decimals (0.30000000000000004 is refused, not rounded)',
  })
  @IsPrice()
  price: number;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: DESCRIPTION_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX)
  description?: string | null;
}
