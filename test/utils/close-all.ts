import { closeTestApps } from './create-test-app';
import { killServers } from './server';

// Jest's setupFilesAfterEnv for the e2e projects: after each test file, whatever its tests and
// hooks did (a timed-out beforeAll included), no app or server process is left to keep Jest alive.
afterAll(async () => {
  await closeTestApps();
  await killServers();
});
