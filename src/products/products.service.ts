import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SINGLE_STATEMENT } from 'src/database/save-options';
import { Repository } from 'typeorm';
import { toCents } from 'src/common/dto/money';
import { requireChange } from 'src/common/dto/require-change';
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

  async update(id: number, dto: UpdateProductDto): Promise<ProductResponse> {
    requireChange(dto);
    const product = await this.getRow(id);
    if (dto.name !== undefined) product.name = dto.name;
    if (dto.description !== undefined) product.description = dto.description;
    if (dto.price !== undefined) product.priceCents = toCents(dto.price);
    return toProductResponse(await this.products.save(product, SINGLE_STATEMENT));
  }

  async remove(id: number): Promise<void> {
    const { affected } = await this.products.delete({ id });
    if (!affected) throw new NotFoundException(PRODUCT_NOT_FOUND);
  }

  private async getRow(id: number): Promise<Product> {
    const product = await this.products.findOneBy({ id });
    if (!product) throw new NotFoundException(PRODUCT_NOT_FOUND);
    return product;
  }
}
