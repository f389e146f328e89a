import zxcvbnCore from '@zxcvbn-ts/core';
import zxcvbnCommon from '@zxcvbn-ts/language-common';
import zxcvbnEn from '@zxcvbn-ts/language-en';
import { CommonError, CommonErrorCode } from '../errors/error-code.js';

/** zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash scenario". */
export const MIN_PASSWORD_SCORE = 3;
/** bcrypt reads 72 bytes; the estimate looks at no more, which also bounds its cost. */
const ESTIMATED_CHARS = 72;

let estimator: InstanceType<typeof zxcvbnCore.ZxcvbnFactory> | undefined;

/** Built on first use: loading the dictionaries takes a moment the start-up need not pay. */
function zxcvbn(): InstanceType<typeof zxcvbnCore.ZxcvbnFactory> {
  estimator ??= new zxcvbnCore.ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  return estimator;
}

const weak = (message: string) =>
  new CommonError(CommonErrorCode.WEAK_PASSWORD, 'The password is too easy to guess.', {
    fields: [{ field: 'password', message }],
  });

/**
 * A new password must not contain the account's email local part and must score at least 3 on zxcvbn
 * (@zxcvbn-ts, English and common dictionaries, the email as a user input): else 400 WEAK_PASSWORD.
 */
export function assertStrongPassword(password: string, email: string): void {
  const local = email.split('@')[0].toLowerCase();
  if (local.length >= 3 && password.toLowerCase().includes(local))
    throw weak('password must not contain your email address');
  const { score, feedback } = zxcvbn().check(password.slice(0, ESTIMATED_CHARS), [email, local]);
  if (score < MIN_PASSWORD_SCORE) throw weak(feedback.warning || 'password is too easy to guess');
}
