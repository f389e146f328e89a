/** The archive_command that copies a finished WAL segment into `walDir` (never over an existing one). */
export function archiveCommand(walDir: string): string {
  if (/['\\]/.test(walDir))
    throw new Error(`a WAL archive path cannot hold quotes or backslashes: ${walDir}`);
  // Copied beside, then renamed: a copy cut short leaves a `.part` (overwritten by the retry), never a
  // partial segment that every later attempt would refuse to replace.
  return `test ! -f '${walDir}/%f' && cp '%p' '${walDir}/%f.part' && mv '${walDir}/%f.part' '${walDir}/%f'`;
}

/** The restore_command that reads a segment back from `walDir`. */
export const restoreCommand = (walDir: string): string => `cp '${walDir}/%f' '%p'`;
