import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { IfMatch } from 'src/common/decorators/if-match.decorator';
import { Roles } from 'src/auth/decorators/roles.decorator';
import { Scopes } from 'src/auth/decorators/scopes.decorator';
import { Scope } from 'src/auth/scope.enum';
import { EntityTagInterceptor } from 'src/common/interceptors/entity-tag.interceptor';
import { ApiConditionalRead, ApiConditionalWrite, ETAG } from 'src/docs/api-conditional.decorator';
import { IDEMPOTENT_REPLAYED, IdempotentCreate } from 'src/idempotency/idempotent-create.decorator';
import { IdParamDto } from 'src/common/dto/id-param.dto';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { Returns, ReturnsNothing, ReturnsPage } from 'src/docs/api-response.decorator';
import { CreateProductDto } from 'src/products/dto/create-product.dto';
import { ProductResponse } from 'src/products/dto/product-response';
import { UpdateProductDto } from 'src/products/dto/update-product.dto';
import { PRODUCT_NOT_FOUND, ProductsService } from 'src/products/products.service';
import { Role } from 'src/auth/role.enum';

const NOT_FOUND = { status: 404, messages: [PRODUCT_NOT_FOUND] } as const;

/** The catalogue: every signed-in user reads it, admins run it. */
@ApiTags('products')
@ApiAuth()
@UseInterceptors(EntityTagInterceptor)
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Scopes(Scope.ProductsRead)
  @ReturnsPage(ProductResponse, { id: 'listProducts', summary: 'A page of the catalogue' })
  list(@Query() query: PaginationQueryDto): Promise<Page<ProductResponse>> {
    return this.products.list(query);
  }

  @Get(':id')
  @Scopes(Scope.ProductsRead)
  @ApiConditionalRead()
  @Returns(ProductResponse, { id: 'getProduct', summary: 'One product', headers: ETAG, errors: [NOT_FOUND] })
  get(@Param() { id }: IdParamDto): Promise<ProductResponse> {
    return this.products.get(id);
  }

  @Post()
  @Roles([Role.Admin])
  @Scopes(Scope.ProductsWrite)
  @IdempotentCreate()
  @Returns(ProductResponse, {
    id: 'createProduct',
    summary: 'Add a product (admin)',
    status: 201,
    headers: { ...ETAG, ...IDEMPOTENT_REPLAYED },
    errors: [{ status: 400, messages: [['price must be a multiple of 0.01 (at most 2 decimal places)']] }, 403],
  })
  create(@Body() dto: CreateProductDto): Promise<ProductResponse> {
    return this.products.create(dto);
  }

  @Patch(':id')
  @Roles([Role.Admin])
  @Scopes(Scope.ProductsWrite)
  @ApiConditionalWrite()
  @Returns(ProductResponse, {
    id: 'updateProduct',
    summary: 'Change a product (admin)',
    headers: ETAG,
    errors: [403, NOT_FOUND],
  })
  update(
    @Param() { id }: IdParamDto,
    @Body() dto: UpdateProductDto,
    @IfMatch() versions: number[] | undefined,
  ): Promise<ProductResponse> {
    return this.products.update(id, dto, versions);
  }

  @Delete(':id')
  @Roles([Role.Admin])
  @Scopes(Scope.ProductsWrite)
  @HttpCode(204)
  @ApiConditionalWrite()
  @ReturnsNothing({ id: 'deleteProduct', summary: 'Remove a product (admin)', errors: [403, NOT_FOUND] })
  remove(@Param() { id }: IdParamDto, @IfMatch() versions: number[] | undefined): Promise<void> {
    return this.products.remove(id, versions);
  }
}
