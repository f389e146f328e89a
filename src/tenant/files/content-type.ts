import { fileTypeFromBuffer } from 'file-type';

/** Images a browser may show inline; anything else (SVG included: it can carry script) is an attachment. */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/** The content type from the bytes' signature; text when they are valid UTF-8 without NUL; else binary. */
export async function sniffContentType(head: Buffer): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  if (head.length > 0 && !head.includes(0) && isUtf8Prefix(head)) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

/** Valid UTF-8, allowing a multi-byte character cut at the end of the sniffed prefix. */
function isUtf8Prefix(head: Buffer): boolean {
  for (let cut = 0; cut < 4 && cut < head.length; cut++)
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      /* try without the last bytes */
    }
  return false;
}

/** `Content-Disposition`: inline for raster images, attachment for the rest; the name quoted safely. */
export function dispositionOf(name: string, contentType: string): string {
  const kind = INLINE.has(contentType) ? 'inline' : 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A client's file name as stored: its last path segment, without control characters, at most 255 long. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 255);
  // `.` and `..` name directories wherever a file name becomes a path segment (an archive, a download).
  return clean && clean !== '.' && clean !== '..' ? clean : 'file';
}
