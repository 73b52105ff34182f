/** Thrown for an invalid setting; main.ts prints its message as the single line it exits with. */
export class ConfigError extends Error {}
