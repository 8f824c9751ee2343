// Bytes → text (documents.md §4.1).

// `fatal` makes invalid UTF-8 throw; the default `ignoreBOM: false` consumes one leading BOM.
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const CRLF_RE = /\r\n/g;

/**
 * Decode UTF-8 bytes: one leading BOM removed, `\r\n` → `\n` (a lone `\r` is kept).
 * Returns null when the bytes are not valid UTF-8. Never throws.
 */
export function decodeText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return null;
  }
  return text.indexOf('\r') === -1 ? text : text.replace(CRLF_RE, '\n');
}
