import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuthController } from 'src/auth/auth.controller';
import { AuthService } from 'src/auth/auth.service';
import { JwtKeys } from 'src/auth/jwt-keys';
import { JwtRefreshStrategy } from 'src/auth/strategies/jwt-refresh.strategy';
import { JwtStrategy } from 'src/auth/strategies/jwt.strategy';
import { TokenTransportInterceptor } from 'src/auth/token-transport.interceptor';
import { TokenService } from 'src/auth/token.service';
import { authConfig } from 'src/config/auth.config';
import { SessionsModule } from 'src/sessions/sessions.module';
import { UsersModule } from 'src/users/users.module';

const jwtKeysProvider = {
  provide: JwtKeys,
  inject: [authConfig.KEY],
  useFactory: (config: ConfigType<typeof authConfig>) => new JwtKeys(config),
};

@Module({
  imports: [
    UsersModule,
    SessionsModule,
    PassportModule,
    JwtModule.registerAsync({
      extraProviders: [jwtKeysProvider],
      inject: [JwtKeys],
      useFactory: (keys: JwtKeys) => ({
        privateKey: keys.signKey,
        publicKey: keys.verifyKey,
        signOptions: { algorithm: keys.algorithm, issuer: keys.issuer, audience: keys.audience },
        verifyOptions: { algorithms: [keys.algorithm], issuer: keys.issuer, audience: keys.audience },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [jwtKeysProvider, AuthService, TokenService, JwtStrategy, JwtRefreshStrategy, TokenTransportInterceptor],
})
export class AuthModule {}
