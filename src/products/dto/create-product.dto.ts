import { IsNumber, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';

export const MAX_PRICE = 1_000_000_000;

/** POST /api/products (admin). */
export class CreateProductDto {
  @IsString()
  @Length(1, 200)
  name: string;

  /** A JSON number with at most 2 decimals: 0.30000000000000004 is refused, not rounded. */
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(MAX_PRICE)
  price: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}
