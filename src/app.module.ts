import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AuditModule } from 'src/audit/audit.module';
import { AuthModule } from 'src/auth/auth.module';
import { DependenciesModule } from 'src/common/dependencies/dependencies.module';
import { AllExceptionsFilter } from 'src/common/filters/all-exceptions.filter';
import { JwtAuthGuard } from 'src/auth/guards/jwt-auth.guard';
import { RolesGuard } from 'src/auth/guards/roles.guard';
import { ScopesGuard } from 'src/auth/guards/scopes.guard';
import { createValidationPipe } from 'src/common/validation';
import { PaginationInterceptor } from 'src/common/interceptors/pagination.interceptor';
import { appConfig } from 'src/config/app.config';
import { authConfig } from 'src/config/auth.config';
import { databaseConfig } from 'src/config/database.config';
import { limitsConfig } from 'src/config/limits.config';
import { validateEnv } from 'src/config/env.validation';
import { DatabaseModule } from 'src/database/database.module';
import { HealthModule } from 'src/health/health.module';
import { LoggingModule } from 'src/logging/logging.module';
import { MetricsModule } from 'src/metrics/metrics.module';
import { ProductsModule } from 'src/products/products.module';
import { TasksModule } from 'src/tasks/tasks.module';
import { TokensModule } from 'src/tokens/tokens.module';
import { AuditEventsModule } from 'src/audit-events/audit-events.module';
import { UserConcurrencyInterceptor } from 'src/throttling/user-concurrency.interceptor';
import { UserWriteThrottlerGuard } from 'src/throttling/user-write-throttler.guard';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: [appConfig, databaseConfig, authConfig],
      validate: validateEnv,
    }),
    ConfigModule.forFeature(limitsConfig),
    LoggingModule,
    AuditModule,
    DependenciesModule,
    ScheduleModule.forRoot(),
    DatabaseModule,
    AuthModule,
    UsersModule,
    ProductsModule,
    TasksModule,
    TokensModule,
    AuditEventsModule,
    HealthModule,
    MetricsModule,
  ],
  providers: [
    // Deny by default: the JWT (or personal access token) guard runs first, then @Roles, then @Scopes,
    // then the per-user write limit.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: ScopesGuard },
    { provide: APP_GUARD, useClass: UserWriteThrottlerGuard },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    // Outermost: a user's request waits for its turn before anything else is done for it.
    { provide: APP_INTERCEPTOR, useClass: UserConcurrencyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: PaginationInterceptor },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class AppModule {}
