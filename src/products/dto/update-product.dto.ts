import { PartialType } from '@nestjs/swagger';
import { CreateProductDto } from 'src/products/dto/create-product.dto';

/**
 * PATCH /api/products/:id (admin): any of the fields. `null` is validated, so
 * `{"name": null}` is 400; only `description` (optional in the base) may be null to clear it.
 */
export class UpdateProductDto extends PartialType(CreateProductDto, { skipNullProperties: false }) {}
