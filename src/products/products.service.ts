import { Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { toCents } from 'src/common/dto/money';
import { requireChange } from 'src/common/dto/require-change';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { VERSION_MISMATCH } from 'src/common/http/entity-tags';
import { CreateProductDto } from 'src/products/dto/create-product.dto';
import { ProductResponse, toProductResponse } from 'src/products/dto/product-response';
import { UpdateProductDto } from 'src/products/dto/update-product.dto';
import { ProductsRepository } from 'src/products/products.repository';

export const PRODUCT_NOT_FOUND = 'Product not found';

@Injectable()
export class ProductsService {
  constructor(private readonly products: ProductsRepository) {}

  async list(query: PaginationQueryDto): Promise<Page<ProductResponse>> {
    return (await this.products.page(query)).map(toProductResponse);
  }

  async get(id: number): Promise<ProductResponse> {
    const product = await this.products.findById(id);
    if (!product) throw new NotFoundException(PRODUCT_NOT_FOUND);
    return toProductResponse(product);
  }

  async create(dto: CreateProductDto): Promise<ProductResponse> {
    const product = this.products.create({
      name: dto.name,
      description: dto.description ?? null,
      priceCents: toCents(dto.price),
    });
    return toProductResponse(await this.products.save(product));
  }

  /** One conditional UPDATE (see TasksService.update). */
  async update(id: number, dto: UpdateProductDto, versions?: number[]): Promise<ProductResponse> {
    requireChange(dto);
    const { name, description, price } = dto;
    const priceCents = price === undefined ? undefined : toCents(price);
    if (!(await this.products.updateById(id, { name, description, priceCents }, versions)))
      await this.failedPrecondition(id);
    return this.get(id);
  }

  async remove(id: number, versions?: number[]): Promise<void> {
    if (!(await this.products.deleteById(id, versions))) await this.failedPrecondition(id);
  }

  /** Nothing matched: 404 when there is no such product, else its version moved on (412). */
  private async failedPrecondition(id: number): Promise<never> {
    await this.get(id);
    throw new PreconditionFailedException(VERSION_MISMATCH);
  }
}
