import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnv } from 'src/config/env.validation';

/** What one user may hold, so one heavy user cannot slow everyone else (issue 13). */
export const limitsConfig = registerAs('limits', () => {
  const env = validateEnv(process.env);
  return {
    tasksPerUser: env.MAX_TASKS_PER_USER,
    sessionsPerUser: env.MAX_SESSIONS_PER_USER,
    requestsInFlightPerUser: env.MAX_REQUESTS_IN_FLIGHT_PER_USER,
  };
});
export type LimitsConfig = ConfigType<typeof limitsConfig>;
