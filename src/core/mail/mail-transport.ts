import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends over SMTP when `SMTP_URL` is set; otherwise writes the mail to the log. */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger(MailTransport.name);
  private readonly smtp?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.mail.smtpUrl) {
      this.smtp = nodemailer.createTransport({
        url: config.mail.smtpUrl,
        connectionTimeout: 5000,
        greetingTimeout: 5000,
        socketTimeout: 10000,
      });
    }
  }

  async send(message: MailMessage): Promise<void> {
    if (!this.smtp) {
      this.logger.log({ mail: message }, `mail to ${message.to}: ${message.subject}`);
      // The mailed token on a log line of its own (`token: <token>`), so a person can grep it.
      for (const line of message.text.split('\n').filter((l) => l.startsWith('token: ')))
        this.logger.log(line);
      return;
    }
    await this.smtp.sendMail({
      from: this.config.mail.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  }

  onModuleDestroy(): void {
    this.smtp?.close();
  }
}
