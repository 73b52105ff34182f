import { CreateUsersAndSessions1732300000000 } from 'src/database/migrations/1732300000000-CreateUsersAndSessions';
import { CreateProducts1732400000000 } from 'src/database/migrations/1732400000000-CreateProducts';
import { CreateTasks1732400000001 } from 'src/database/migrations/1732400000001-CreateTasks';
import { AddVersions1796050000000 } from 'src/database/migrations/1796050000000-AddVersions';
import { CreateIdempotencyKeys1796050000001 } from 'src/database/migrations/1796050000001-CreateIdempotencyKeys';

/** Every migration, in order. Listed explicitly so builds, tests and the CLI run the same set. */
export const migrations = [
  CreateUsersAndSessions1732300000000,
  CreateProducts1732400000000,
  CreateTasks1732400000001,
  AddVersions1796050000000,
  CreateIdempotencyKeys1796050000001,
];
