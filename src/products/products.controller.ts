import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Roles } from 'src/common/decorators/roles.decorator';
import { Scopes } from 'src/common/decorators/scopes.decorator';
import { Scope } from 'src/auth/scope.enum';
import { IdParamDto } from 'src/common/dto/id-param.dto';
import { PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { CreateProductDto } from 'src/products/dto/create-product.dto';
import { UpdateProductDto } from 'src/products/dto/update-product.dto';
import { ProductsService } from 'src/products/products.service';
import { Role } from 'src/users/role.enum';

/** The catalogue: every signed-in user reads it, admins run it. */
@ApiTags('products')
@ApiAuth()
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Scopes(Scope.ProductsRead)
  list(@Query() query: PaginationQueryDto) {
    return this.products.list(query);
  }

  @Get(':id')
  @Scopes(Scope.ProductsRead)
  get(@Param() { id }: IdParamDto) {
    return this.products.get(id);
  }

  @Post()
  @Roles([Role.Admin])
  @Scopes(Scope.ProductsWrite)
  create(@Body() dto: CreateProductDto) {
    return this.products.create(dto);
  }

  @Patch(':id')
  @Roles([Role.Admin])
  @Scopes(Scope.ProductsWrite)
  update(@Param() { id }: IdParamDto, @Body() dto: UpdateProductDto) {
    return this.products.update(id, dto);
  }

  @Delete(':id')
  @Roles([Role.Admin])
  @Scopes(Scope.ProductsWrite)
  @HttpCode(204)
  remove(@Param() { id }: IdParamDto) {
    return this.products.remove(id);
  }
}
