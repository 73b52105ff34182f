import { UnauthorizedException } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { AuthModule } from 'src/auth/auth.module';
import { AuthService } from 'src/auth/auth.service';
import { JwtKeys } from 'src/auth/jwt-keys';
import { checkClaims } from 'src/auth/token-claims';
import { verify } from 'jsonwebtoken';
import { appConfig } from 'src/config/app.config';
import { authConfig } from 'src/config/auth.config';
import { LoggingModule } from 'src/logging/logging.module';
import { databaseConfig } from 'src/config/database.config';
import { DatabaseModule } from 'src/database/database.module';
import { SessionsService } from 'src/sessions/sessions.service';

const client = { ip: '127.0.0.1', reqId: 'spec-1', userAgent: 'jest' };
const password = 'correct-horse-battery-staple';

/** Token issue, rotation and reuse detection against a real (in-memory) SQLite database. */
describe('AuthService tokens', () => {
  let moduleRef: TestingModule;
  let auth: AuthService;
  let keys: JwtKeys;
  let sessions: SessionsService;

  beforeAll(async () => {
    Object.assign(process.env, {
      DATABASE_URL: 'sqlite::memory:',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      BCRYPT_COST: '10',
      LOG_LEVEL: 'silent',
    });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig, databaseConfig, authConfig] }),
        LoggingModule,
        DatabaseModule,
        AuthModule,
      ],
    }).compile();
    await moduleRef.init();
    auth = moduleRef.get(AuthService);
    keys = moduleRef.get(JwtKeys);
    sessions = moduleRef.get(SessionsService);
  });
  afterAll(() => moduleRef.close());

  const verifyToken = (token: string) =>
    verify(token, keys.verificationKey(undefined) as never, { algorithms: ['HS256'] });
  let n = 0;
  const newUser = async () => {
    const username = `unit${++n}`;
    await auth.register({ username, password }, client);
    return username;
  };
  const refreshClaims = (token: string) => ({
    ...checkClaims(verifyToken(token), 'refresh'),
    transport: 'bearer' as const,
    reqId: 'spec-2',
    ip: '127.0.0.1',
  });

  it('issues a fresh access token and a refresh token bound to one session', async () => {
    const pair = await auth.login({ username: await newUser(), password }, client);
    const access = checkClaims(verifyToken(pair.pair.accessToken), 'access');
    const refresh = refreshClaims(pair.pair.refreshToken);
    expect(access.fresh).toBe(true);
    expect(access.sid).toBe(refresh.sid);
    expect(access.jti).not.toBe(refresh.jti);
    expect(pair.pair.expiresIn).toBe(900);
  });

  it('rotates: new refresh token, same session, access token not fresh', async () => {
    const first = await auth.login({ username: await newUser(), password }, client);
    const second = await auth.refresh(refreshClaims(first.pair.refreshToken));
    const claims = refreshClaims(second.pair.refreshToken);
    expect(claims.sid).toBe(refreshClaims(first.pair.refreshToken).sid);
    expect(claims.jti).not.toBe(refreshClaims(first.pair.refreshToken).jti);
    expect(checkClaims(verifyToken(second.pair.accessToken), 'access').fresh).toBe(false);
  });

  it('detects reuse of a rotated refresh token and revokes the whole session', async () => {
    const first = await auth.login({ username: await newUser(), password }, client);
    const old = refreshClaims(first.pair.refreshToken);
    const second = await auth.refresh(old);
    await expect(auth.refresh(old)).rejects.toThrow(new UnauthorizedException('Token has been revoked'));
    // The thief's reuse also kills the legitimate newest token.
    await expect(auth.refresh(refreshClaims(second.pair.refreshToken))).rejects.toThrow('Token has been revoked');
    const row = await sessions.findWithUser(old.sid, Number(old.sub));
    expect(row?.revokedAt).toBeInstanceOf(Date);
  });

  it('lets at most one of several concurrent refreshes with one token win', async () => {
    const first = await auth.login({ username: await newUser(), password }, client);
    const claims = refreshClaims(first.pair.refreshToken);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => auth.refresh(claims)));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
  });

  it('refuses a login with a wrong password or an unknown user alike', async () => {
    const username = await newUser();
    await expect(auth.login({ username, password: 'wrong-password-here' }, client)).rejects.toThrow(
      'Invalid credentials',
    );
    await expect(auth.login({ username: 'nobody-here', password }, client)).rejects.toThrow('Invalid credentials');
  });

  it('refuses refresh after logout', async () => {
    const pair = await auth.login({ username: await newUser(), password }, client);
    const claims = refreshClaims(pair.pair.refreshToken);
    await sessions.revoke(claims.sid);
    await expect(auth.refresh(claims)).rejects.toThrow('Token has been revoked');
  });
});
