import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { createInterface } from 'node:readline';
import { appConfig } from 'src/config/app.config';
import { authConfig } from 'src/config/auth.config';
import { databaseConfig } from 'src/config/database.config';
import { ConfigError, validateEnv } from 'src/config/env.validation';
import { DatabaseConnection } from 'src/database/database-connection';
import { DatabaseModule } from 'src/database/database.module';
import { LoggingModule } from 'src/logging/logging.module';
import { passwordProblems } from 'src/common/password-policy';
import { LOCAL_CLIENT } from 'src/users/password.service';
import { Role } from 'src/auth/role.enum';
import { USERNAME_PATTERN } from 'src/users/username';
import { UsersModule } from 'src/users/users.module';
import { UsersService } from 'src/users/users.service';

/**
 * npm run create-admin -- <username>
 * The password comes from ADMIN_PASSWORD or the first line of stdin, never from
 * argv (which other users of the machine can read in the process list).
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [appConfig, databaseConfig, authConfig], validate: validateEnv }),
    LoggingModule,
    DatabaseModule,
    UsersModule,
  ],
})
class CreateAdminModule {}

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

async function main(): Promise<void> {
  const username = process.argv[2] ?? process.env.ADMIN_USERNAME;
  if (!username || !USERNAME_PATTERN.test(username)) {
    throw new ConfigError(
      'Usage: npm run create-admin -- <username> (3 to 32 letters, digits, ".", "_" or "-"); password on stdin or in ADMIN_PASSWORD',
    );
  }
  const password = await readPassword();
  const problem = passwordProblems(password, 'password', username)[0];
  if (problem) throw new ConfigError(problem);
  databaseConfig();
  authConfig();
  // ADMIN_* are this command's input here, not the start-up bootstrap's.
  delete process.env.ADMIN_USERNAME;
  delete process.env.ADMIN_PASSWORD;
  const app = await NestFactory.createApplicationContext(CreateAdminModule, { logger: ['error'], abortOnError: false });
  try {
    await app.get(DatabaseConnection).whenReady;
    const user = await app.get(UsersService).create(username, password, Role.Admin, LOCAL_CLIENT);
    process.stdout.write(`Created admin ${user.username} (id ${user.id})\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
