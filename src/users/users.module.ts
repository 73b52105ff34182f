import { Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from 'src/audit/audit.module';
import { authConfig } from 'src/config/auth.config';
import { DatabaseConnection } from 'src/database/database-connection';
import { MetricsModule } from 'src/metrics/metrics.module';
import { SessionsModule } from 'src/sessions/sessions.module';
import { PasswordService } from 'src/users/password.service';
import { User } from 'src/users/user.entity';
import { UsersController } from 'src/users/users.controller';
import { UsersService } from 'src/users/users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), SessionsModule, AuditModule, MetricsModule],
  controllers: [UsersController],
  providers: [UsersService, PasswordService],
  exports: [UsersService, PasswordService],
})
export class UsersModule implements OnModuleInit {
  private readonly logger = new Logger(UsersModule.name);

  constructor(
    private readonly users: UsersService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly database: DatabaseConnection,
  ) {}

  onModuleInit(): void {
    this.database.afterConnect(() => this.createFirstAdmin());
  }

  /** ADMIN_USERNAME / ADMIN_PASSWORD: the first admin, created once. */
  private async createFirstAdmin(): Promise<void> {
    const { adminUsername, adminPassword } = this.config;
    if (!adminUsername || !adminPassword) return;
    if (await this.users.ensureAdmin(adminUsername, adminPassword)) {
      this.logger.log(`Created admin user "${adminUsername}" from ADMIN_USERNAME`);
    }
  }
}
