import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from 'src/audit/audit.module';
import { PersonalAccessToken } from 'src/tokens/personal-access-token.entity';
import { TokensController } from 'src/tokens/tokens.controller';
import { TokensPruner } from 'src/tokens/tokens-pruner';
import { TokensRepository } from 'src/tokens/tokens.repository';
import { TokensService } from 'src/tokens/tokens.service';

@Module({
  imports: [TypeOrmModule.forFeature([PersonalAccessToken]), AuditModule],
  controllers: [TokensController],
  providers: [TokensService, TokensRepository, TokensPruner],
  exports: [TokensService],
})
export class TokensModule {}
