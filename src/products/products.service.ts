import { Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SINGLE_STATEMENT } from 'src/database/save-options';
import { writeIfVersion } from 'src/database/versioned';
import { Repository } from 'typeorm';
import { toCents } from 'src/common/dto/money';
import { requireChange } from 'src/common/dto/require-change';
import { VERSION_MISMATCH } from 'src/common/http/entity-tags';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { CreateProductDto } from 'src/products/dto/create-product.dto';
import { ProductResponse, toProductResponse } from 'src/products/dto/product-response';
import { UpdateProductDto } from 'src/products/dto/update-product.dto';
import { Product } from 'src/products/product.entity';

export const PRODUCT_NOT_FOUND = 'Product not found';

@Injectable()
export class ProductsService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}

  async list(query: PaginationQueryDto): Promise<Page<ProductResponse>> {
    const [rows, total] = await this.products.findAndCount({
      order: { id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return new Page(rows.map(toProductResponse), total, query.limit, query.offset);
  }

  async get(id: number): Promise<ProductResponse> {
    return toProductResponse(await this.getRow(id));
  }

  async create(dto: CreateProductDto): Promise<ProductResponse> {
    const product = this.products.create({
      name: dto.name,
      description: dto.description ?? null,
      priceCents: toCents(dto.price),
    });
    return toProductResponse(await this.products.save(product, SINGLE_STATEMENT));
  }

  /** One conditional UPDATE (see TasksService.update). */
  async update(id: number, dto: UpdateProductDto, versions?: number[]): Promise<ProductResponse> {
    requireChange(dto);
    const changes: Partial<Product> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.price !== undefined) changes.priceCents = toCents(dto.price);
    const update = this.products.createQueryBuilder().update().set(changes).where({ id });
    if (!(await writeIfVersion(update, versions))) await this.failedPrecondition(id);
    return this.get(id);
  }

  async remove(id: number, versions?: number[]): Promise<void> {
    const remove = this.products.createQueryBuilder().delete().where({ id });
    if (!(await writeIfVersion(remove, versions))) await this.failedPrecondition(id);
  }

  /** Nothing matched: 404 when there is no such product, else its version moved on (412). */
  private async failedPrecondition(id: number): Promise<never> {
    await this.getRow(id);
    throw new PreconditionFailedException(VERSION_MISMATCH);
  }

  private async getRow(id: number): Promise<Product> {
    const product = await this.products.findOneBy({ id });
    if (!product) throw new NotFoundException(PRODUCT_NOT_FOUND);
    return product;
  }
}
