import { CreateUsersAndSessions1732300000000 } from 'src/database/migrations/1732300000000-CreateUsersAndSessions';

/** Every migration, in order. Listed explicitly so builds, tests and the CLI run the same set. */
export const migrations = [CreateUsersAndSessions1732300000000];
