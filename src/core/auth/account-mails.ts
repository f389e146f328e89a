import type { MailMessage } from '../mail/mail-transport.js';

/**
 * The account mails. They greet nobody by name: a name is chosen by whoever registers, and an attacker who
 * registers a victim's address could otherwise put a link or a line of their own into mail the victim
 * trusts. The token stands on a line of its own (`token: <token>`), as docs/reference/api.md fixes it.
 */
export function verificationMail(to: string, token: string): MailMessage {
  return {
    to,
    subject: 'Verify your Tenantry email address',
    text: `Hello,\n\nconfirm your email address for Tenantry with this token:\n\ntoken: ${token}\n\nIt expires in 24 hours. If you did not register, ignore this mail.\n`,
  };
}

export function resetMail(to: string, token: string): MailMessage {
  return {
    to,
    subject: 'Reset your Tenantry password',
    text: `Hello,\n\nsomeone asked to reset your Tenantry password. If it was you, use this token:\n\ntoken: ${token}\n\nIt expires in one hour. If it was not you, ignore this mail.\n`,
  };
}
