// Written by `migration:generate`; lists every migration of this folder, oldest first.
import { MigrationInterface } from 'typeorm';
import { CreateUsers1795343996405 } from './1795343996405-CreateUsers.js';

export const TENANT_MIGRATIONS: (new () => MigrationInterface)[] = [CreateUsers1795343996405];
