import { Global, Module } from '@nestjs/common';
import { Outages } from 'src/common/dependencies/outages';

/** Dependency outages, one log line per episode (global: the database, Redis and the filter report to it). */
@Global()
@Module({ providers: [Outages], exports: [Outages] })
export class DependenciesModule {}
