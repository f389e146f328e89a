import { AppError } from '../../common/errors/app-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const FileErrors = {
  notFound: (): AppError => new AppError(ErrorCode.FILE_NOT_FOUND, 'No such file in this organization.'),
  tooLarge: (max: number): AppError =>
    new AppError(ErrorCode.FILE_TOO_LARGE, `A file may hold at most ${max} bytes.`),
  quota: (limit: number): AppError =>
    new AppError(
      ErrorCode.QUOTA_EXCEEDED,
      `This organization's limit maxStorageBytes (${limit}) is reached.`,
    ),
  noFile: (): AppError =>
    new AppError(ErrorCode.VALIDATION_FAILED, 'Send one multipart part named "file".', {
      fields: [{ field: 'file', message: 'a multipart part named "file" is required' }],
    }),
  malformed: (): AppError =>
    new AppError(
      ErrorCode.VALIDATION_FAILED,
      'The body is not well-formed multipart/form-data (a boundary, then one part named "file").',
      { fields: [{ field: 'file', message: 'a well-formed multipart part named "file" is required' }] },
    ),
  badRange: (size: number): AppError =>
    new AppError(ErrorCode.RANGE_NOT_SATISFIABLE, `The file holds ${size} bytes.`),
  notYours: (): AppError =>
    new AppError(ErrorCode.FORBIDDEN, 'Only an admin, a manager or its uploader deletes a file.'),
  badSignature: (): AppError =>
    new AppError(ErrorCode.SIGNED_URL_INVALID, 'This link is invalid or has expired.'),
};

/** An error of the multipart parser: the client's body is at fault (a missing boundary, a cut-off part…). */
export function isMultipartError(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return code.startsWith('FST_');
  return typeof message === 'string' && /multipart|boundary|needle/i.test(message);
}
