import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PasswordService } from '../common/crypto/password.service.js';
import { cutOffNow } from '../common/crypto/session-cutoff.js';
import { recordAction } from '../operator/operator-actions.js';
import { Operator } from '../operator/operator.entity.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { formatTable } from './table.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}$/;

function emailOption(value: string): string {
  const email = value.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new Error(`--email: ${JSON.stringify(value)} is not an email address`);
  return email;
}

/** What the CLI does is recorded as the machine's own action (no operator id). */
const CLI_ACTOR = 'cli';

@Command({
  name: 'operators:create',
  description: 'Create an operator; prints a one-time password to replace at the first login.',
})
export class OperatorsCreateCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly passwords: PasswordService,
  ) {
    super();
  }

  @Option({ flags: '--email <email>', description: "the operator's email", required: true })
  parseEmail(value: string): string {
    return emailOption(value);
  }

  async run(_params: string[], options: { email: string }): Promise<void> {
    await assertCoreCurrent(this.core);
    const oneTime = randomBytes(18).toString('base64url');
    const passwordHash = await this.passwords.hash(oneTime);
    const created = await this.core.transaction(async (m) => {
      const inserted = await m
        .createQueryBuilder()
        .insert()
        .into(Operator)
        .values({ email: options.email, passwordHash, mustChangePassword: true })
        .orIgnore()
        .execute();
      if (!inserted.identifiers.length || !inserted.identifiers[0]) return false;
      await recordAction(m, {
        operatorId: null,
        actor: CLI_ACTOR,
        action: `create ${options.email}`,
        result: 'ok',
      });
      return true;
    });
    if (!created) {
      console.error(`operators:create: an operator with the email ${options.email} already exists`);
      process.exitCode = 1;
      return;
    }
    console.log(`operator ${options.email} created; one-time password (replace it at the first login):`);
    console.log(`password: ${oneTime}`);
  }
}

@Command({ name: 'operators:list', description: 'Every operator: email, status, created.' })
export class OperatorsListCommand extends CommandRunner {
  constructor(@InjectDataSource() private readonly core: DataSource) {
    super();
  }

  async run(): Promise<void> {
    await assertCoreCurrent(this.core);
    const operators = await this.core.getRepository(Operator).find({ order: { email: 'ASC' } });
    const status = (o: Operator) => (o.disabledAt ? 'disabled' : o.mustChangePassword ? 'invited' : 'active');
    console.log(
      formatTable(
        ['email', 'status', 'created'],
        operators.map((o) => [o.email, status(o), o.createdAt.toISOString()]),
      ),
    );
  }
}

@Command({
  name: 'operators:disable',
  description: 'Disable an operator: its tokens stop working at once, its refresh tokens too.',
})
export class OperatorsDisableCommand extends CommandRunner {
  constructor(@InjectDataSource() private readonly core: DataSource) {
    super();
  }

  @Option({ flags: '--email <email>', description: "the operator's email", required: true })
  parseEmail(value: string): string {
    return emailOption(value);
  }

  async run(_params: string[], options: { email: string }): Promise<void> {
    await assertCoreCurrent(this.core);
    const done = await this.core.transaction(async (m) => {
      const now = cutOffNow();
      const result = await m
        .getRepository(Operator)
        .update({ email: options.email }, { disabledAt: now, tokensValidAfter: now });
      if (!result.affected) return false;
      await recordAction(m, {
        operatorId: null,
        actor: CLI_ACTOR,
        action: `disable ${options.email}`,
        result: 'ok',
      });
      return true;
    });
    if (!done) {
      console.error(`operators:disable: no operator with the email ${options.email}`);
      process.exitCode = 1;
      return;
    }
    console.log(`operator ${options.email} disabled`);
  }
}
