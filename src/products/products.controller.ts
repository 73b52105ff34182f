import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { IfMatch } from 'src/common/decorators/if-match.decorator';
import { Roles } from 'src/auth/decorators/roles.decorator';
import { Scopes } from 'src/auth/decorators/scopes.decorator';
import { Scope } from 'src/auth/scope.enum';
import { EntityTagInterceptor } from 'src/common/interceptors/entity-tag.interceptor';
import { ApiConditionalRead, ApiConditionalWrite } from 'src/docs/api-conditional.decorator';
import { IdempotentCreate } from 'src/idempotency/idempotent-create.decorator';
import { IdParamDto } from 'src/common/dto/id-param.dto';
import { PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { CreateProductDto } from 'src/products/dto/create-product.dto';
import { UpdateProductDto } from 'src/products/dto/update-product.dto';
import { ProductsService } from 'src/products/products.service';
import { Role } from 'src/auth/role.enum';

/** The catalogue: every signed-in user reads it, admins run it. */
@ApiTags('products')
@ApiAuth()
@UseInterceptors(EntityTagInterceptor)
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
  @ApiConditionalRead()
  get(@Param() { id }: IdParamDto) {
    return this.products.get(id);
  }

  @Post()
  @Roles([Role.Admin])
  @Scopes(Scope.ProductsWrite)
  @IdempotentCreate()
  create(@Body() dto: CreateProductDto) {
    return this.products.create(dto);
  }

  @Patch(':id')
  @Roles([Role.Admin])
  @Scopes(Scope.ProductsWrite)
  @ApiConditionalWrite()
  update(@Param() { id }: IdParamDto, @Body() dto: UpdateProductDto, @IfMatch() versions: number[] | undefined) {
    return this.products.update(id, dto, versions);
  }

  @Delete(':id')
  @Roles([Role.Admin])
  @Scopes(Scope.ProductsWrite)
  @HttpCode(204)
  @ApiConditionalWrite()
  remove(@Param() { id }: IdParamDto, @IfMatch() versions: number[] | undefined) {
    return this.products.remove(id, versions);
  }
}
