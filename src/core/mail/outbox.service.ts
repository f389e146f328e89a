import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { EntityManager } from 'typeorm';
import { MailMessage } from './mail-transport.js';
import { OutboxMessage } from './outbox-message.entity.js';

/** Writes mails into the outbox inside the caller's transaction; the worker delivers them. */
@Injectable()
export class OutboxService {
  private readonly events = new EventEmitter<{ committed: [] }>();

  async enqueue(manager: EntityManager, message: MailMessage): Promise<void> {
    await manager.insert(OutboxMessage, {
      recipient: message.to,
      subject: message.subject,
      body: message.text,
    });
  }

  /** Called after the enqueuing transaction commits, so delivery need not wait for the next poll. */
  notifyCommitted(): void {
    this.events.emit('committed');
  }

  onEnqueued(listener: () => void): void {
    this.events.on('committed', listener);
  }
}
