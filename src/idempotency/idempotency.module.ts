import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKey } from 'src/idempotency/idempotency-key.entity';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import { IdempotencyPruner } from 'src/idempotency/idempotency-pruner';
import { IdempotencyKeysRepository } from 'src/idempotency/idempotency-keys.repository';
import { IdempotencyService } from 'src/idempotency/idempotency.service';

/** Idempotency-Key for creates: import it and put @IdempotentCreate() on the POST handler. */
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyKey])],
  providers: [IdempotencyService, IdempotencyKeysRepository, IdempotencyInterceptor, IdempotencyPruner],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}
