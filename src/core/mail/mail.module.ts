import { Module } from '@nestjs/common';
import { MailTransport } from './mail-transport.js';
import { OutboxService } from './outbox.service.js';
import { OutboxWorker } from './outbox.worker.js';

@Module({
  providers: [MailTransport, OutboxService, OutboxWorker],
  exports: [OutboxService],
})
export class MailModule {}
