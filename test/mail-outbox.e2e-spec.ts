import pg from 'pg';
import { freePort } from '../src/common/net/free-port.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('mail outbox', () => {
  let t: TestApp;
  let smtp: SmtpSink;

  beforeAll(async () => {
    // SMTP is down: nothing listens on the port yet.
    smtp = new SmtpSink(await freePort());
    t = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('registers while SMTP is down and delivers the mail once it is back', async () => {
    const email = 'offline@example.com';
    const res = await t.http.post('/api/v1/core/auth/register', {
      email,
      password: 'long enough pw',
      name: 'Off',
    });
    expect(res.status).toBe(201);

    const db = new pg.Client({ connectionString: t.coreUrl });
    await db.connect();
    try {
      // At least one delivery attempt failed and a retry is scheduled; the mail is kept.
      for (let i = 0; i < 100; i++) {
        const { rows } = await db.query(
          'SELECT attempts, sent_at, last_error FROM mail_outbox WHERE recipient = $1',
          [email],
        );
        if (rows[0]?.attempts >= 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const before = await db.query(
        'SELECT attempts, sent_at, last_error FROM mail_outbox WHERE recipient = $1',
        [email],
      );
      expect(before.rows).toHaveLength(1);
      expect(before.rows[0].attempts).toBeGreaterThanOrEqual(1);
      expect(before.rows[0].sent_at).toBeNull();
      expect(before.rows[0].last_error).toEqual(expect.any(String));

      await smtp.start();
      const mail = await smtp.waitFor(email, /verify/i, 20000);
      expect(tokenFrom(mail)).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // The row is marked sent once the delivering transaction commits.
      let sentAt: Date | null = null;
      for (let i = 0; i < 50 && !sentAt; i++) {
        sentAt = (await db.query('SELECT sent_at FROM mail_outbox WHERE recipient = $1', [email])).rows[0]
          .sent_at;
        if (!sentAt) await new Promise((r) => setTimeout(r, 100));
      }
      expect(sentAt).toBeInstanceOf(Date);
      expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(1);
    } finally {
      await db.end();
    }
  });
});
