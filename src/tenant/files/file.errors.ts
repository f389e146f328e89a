import { AppError } from '../../common/errors/app-error.js';
import { DomainError, DomainErrorCode } from '../errors/error-codes.js';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';

export const FileErrors = {
  notFound: (): AppError =>
    new DomainError(DomainErrorCode.FILE_NOT_FOUND, 'No such file in this organization.'),
  tooLarge: (max: number): AppError =>
    new DomainError(DomainErrorCode.FILE_TOO_LARGE, `A file may hold at most ${max} bytes.`),
  quota: (limit: number): AppError =>
    new CommonError(
      CommonErrorCode.QUOTA_EXCEEDED,
      `This organization's limit maxStorageBytes (${limit}) is reached.`,
    ),
  noFile: (): AppError =>
    new CommonError(CommonErrorCode.VALIDATION_FAILED, 'Send one multipart part named "file".', {
      fields: [{ field: 'file', message: 'a multipart part named "file" is required' }],
    }),
  malformed: (): AppError =>
    new CommonError(
      CommonErrorCode.VALIDATION_FAILED,
      'The body is not well-formed multipart/form-data (a boundary, then one part named "file").',
      { fields: [{ field: 'file', message: 'a well-formed multipart part named "file" is required' }] },
    ),
  badRange: (size: number): AppError =>
    new DomainError(DomainErrorCode.RANGE_NOT_SATISFIABLE, `The file holds ${size} bytes.`),
  notYours: (): AppError =>
    new CommonError(CommonErrorCode.FORBIDDEN, 'Only an admin, a manager or its uploader deletes a file.'),
  badSignature: (): AppError =>
    new DomainError(DomainErrorCode.SIGNED_URL_INVALID, 'This link is invalid or has expired.'),
};

/** An error of the multipart parser: the client's body is at fault (a missing boundary, a cut-off part…). */
export function isMultipartError(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return code.startsWith('FST_');
  return typeof message === 'string' && /multipart|boundary|needle/i.test(message);
}
