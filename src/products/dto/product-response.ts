import { ApiProperty } from '@nestjs/swagger';
import { MAX_ID } from 'src/common/dto/id-param.dto';
import { fromCents } from 'src/common/dto/money';
import { MAX_PRICE, PRICE_STEP } from 'src/common/dto/money';
import { DESCRIPTION_MAX, NAME_MAX } from 'src/products/dto/create-product.dto';
import { Product } from 'src/products/product.entity';

export class ProductResponse {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID, example: 1 })
  id: number;

  @ApiProperty({ minLength: 1, maxLength: NAME_MAX, example: 'Coffee beans, 1 kg' })
  name: string;

  @ApiProperty({ type: 'string', nullable: true, maxLength: DESCRIPTION_MAX })
  description: string | null;

  @ApiProperty({ minimum: 0, maximum: MAX_PRICE, multipleOf: PRICE_STEP, example: 9.99 })
  price: number;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: '1 when created, one more on every change; the ETag' })
  version: number;
}

export function toProductResponse(p: Product): ProductResponse {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    price: fromCents(p.priceCents),
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    version: p.version,
  };
}
