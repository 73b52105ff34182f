import { fromCents } from 'src/common/dto/money';
import { Product } from 'src/products/product.entity';

export interface ProductResponse {
  id: number;
  name: string;
  description: string | null;
  price: number;
  created_at: string;
  updated_at: string;
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
