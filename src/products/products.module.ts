import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from 'src/idempotency/idempotency.module';
import { Product } from 'src/products/product.entity';
import { ProductsController } from 'src/products/products.controller';
import { ProductsService } from 'src/products/products.service';

@Module({
  imports: [TypeOrmModule.forFeature([Product]), IdempotencyModule],
  controllers: [ProductsController],
  providers: [ProductsService],
})
export class ProductsModule {}
