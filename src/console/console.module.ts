import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConsoleFiles } from './console-files.js';
import { registerConsoleRoutes } from './console-routes.js';

/** Where `npm run build` writes the console (vite, console/vite.config.ts): dist/console of the working directory. */
export const CONSOLE_DIR = join(process.cwd(), 'dist', 'console');

/**
 * The operators' web console at /console (docs/operations.md): static files, served when CONSOLE_ENABLED.
 * The page itself calls the operator API (/api/v1/operator) with an operator's token, like any client.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // The CLI builds the same modules without an HTTP server: nothing to serve there.
    if (!this.config.http.consoleEnabled || !this.adapter.httpAdapter) return;
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    registerConsoleRoutes(fastify, new ConsoleFiles(CONSOLE_DIR));
  }
}
