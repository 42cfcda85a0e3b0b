// Source text from a user's bytes: a file that is not text (a binary, random bytes, invalid UTF-8) is named as
// such in one line, instead of reaching a lexer that would print its bytes back as an "unknown instruction"; a
// source over MAX_SOURCE_BYTES is "too large", in one line.
// Browser-safe (no node: modules).
import { UserError } from "./errors.ts";

/** The largest source futamura reads: a 50 MB Fern source needed more than 4 GB and minutes to compile. */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

/** Decodes `data` as UTF-8 source text; `what` says what the file should have been ("a Fern program is source text"). */
export function sourceText(data: Uint8Array, file: string, what: string): string {
  const nul = data.indexOf(0);
  if (nul >= 0) throw new UserError(`${file}: error: not a text file (a zero byte at byte ${nul}); ${what}`);
  // After the binary check: a large binary (an executable) is named as not text rather than as too large.
  if (data.length > MAX_SOURCE_BYTES)
    throw new UserError(
      `${file}: error: source too large (${(data.length / 1048576).toFixed(1)} MiB; futamura reads sources up to ${MAX_SOURCE_BYTES / 1048576} MiB)`,
    );
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new UserError(`${file}: error: not a text file (it is not valid UTF-8); ${what}`);
  }
  // Control characters other than tab, newline and carriage return are rare in source; many of them mean binary.
  let control = 0;
  const sample = Math.min(text.length, 4096);
  for (let i = 0; i < sample; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) control++;
  }
  if (sample > 0 && control > 8 && control * 20 > sample)
    throw new UserError(
      `${file}: error: not a text file (${control} control characters in its first ${sample}); ${what}`,
    );
  return text;
}
