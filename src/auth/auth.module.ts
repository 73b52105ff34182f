import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import type { Algorithm } from 'jsonwebtoken';
import { AuditModule } from 'src/audit/audit.module';
import { AuthController } from 'src/auth/auth.controller';
import { AuthService } from 'src/auth/auth.service';
import { JwksController } from 'src/auth/jwks.controller';
import { JwtKeys } from 'src/auth/jwt-keys';
import { JwtRefreshStrategy } from 'src/auth/strategies/jwt-refresh.strategy';
import { JwtStrategy } from 'src/auth/strategies/jwt.strategy';
import { PatStrategy } from 'src/auth/strategies/pat.strategy';
import { TokenTransportInterceptor } from 'src/auth/token-transport.interceptor';
import { TokenService } from 'src/auth/token.service';
import { authConfig } from 'src/config/auth.config';
import { SessionsModule } from 'src/sessions/sessions.module';
import { ThrottlingModule } from 'src/throttling/throttling.module';
import { UsersModule } from 'src/users/users.module';
import { TokensModule } from 'src/tokens/tokens.module';

const jwtKeysProvider = {
  provide: JwtKeys,
  inject: [authConfig.KEY],
  useFactory: (config: ConfigType<typeof authConfig>) => JwtKeys.load(config),
};

@Module({
  imports: [
    UsersModule,
    SessionsModule,
    TokensModule,
    ThrottlingModule,
    AuditModule,
    PassportModule,
    // Signs HS256, RS256 and ES256 (jsonwebtoken); TokenService signs EdDSA with jose.
    JwtModule.registerAsync({
      extraProviders: [jwtKeysProvider],
      inject: [JwtKeys],
      useFactory: (keys: JwtKeys) => ({
        privateKey: keys.signKey,
        signOptions: {
          algorithm: keys.algorithm as Algorithm,
          ...(keys.kid ? { keyid: keys.kid } : {}),
          issuer: keys.issuer,
          audience: keys.audience,
        },
      }),
    }),
  ],
  controllers: [AuthController, JwksController],
  providers: [
    jwtKeysProvider,
    AuthService,
    TokenService,
    JwtStrategy,
    JwtRefreshStrategy,
    PatStrategy,
    TokenTransportInterceptor,
  ],
})
export class AuthModule {}
