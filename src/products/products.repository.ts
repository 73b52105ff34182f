import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DirectQueries } from 'src/database/direct-queries';
import { EntityRepository } from 'src/database/entity-repository';
import { Product } from 'src/products/product.entity';

/** The catalogue: one list for everyone, changed by admins (the controller's roles). */
@Injectable()
export class ProductsRepository extends EntityRepository<Product> {
  constructor(@InjectRepository(Product) products: Repository<Product>, direct: DirectQueries) {
    super(products, direct);
  }
}
