/**
 * A SQL file's text addressed the way the parser addresses it: by UTF-8 byte offset (every node's
 * `location` is one). Converts byte offsets to text and to 1-based line and column (in characters,
 * as editors count them) without re-decoding the file for each lookup: a 10,000-statement file
 * must not cost 10,000 decodes of its prefix.
 */
import type { SourceLocation } from '../catalog/types.js';

export class FileText {
  /** The UTF-8 bytes, or null when the text is pure ASCII (then byte and character offsets agree). */
  private readonly bytes: Buffer | null;
  /** Byte offset of the first character of each line (built on first use). */
  private lineStarts: number[] | undefined;

  constructor(
    /** The file as the user should see it named (relative to the working directory). */
    readonly file: string,
    readonly text: string,
  ) {
    const length = Buffer.byteLength(text, 'utf8');
    this.bytes = length === text.length ? null : Buffer.from(text, 'utf8');
  }

  get byteLength(): number {
    return this.bytes ? this.bytes.length : this.text.length;
  }

  /** The text between two byte offsets. */
  slice(start: number, end: number): string {
    return this.bytes ? this.bytes.toString('utf8', start, end) : this.text.slice(start, end);
  }

  /** The byte offset of a character offset (code units of the JS string). */
  byteOffsetOfChar(charOffset: number): number {
    return this.bytes ? Buffer.byteLength(this.text.slice(0, charOffset), 'utf8') : charOffset;
  }

  /** 1-based line and column of a byte offset. */
  location(byteOffset: number): SourceLocation {
    const starts = (this.lineStarts ??= this.computeLineStarts());
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= byteOffset) low = mid;
      else high = mid - 1;
    }
    const lineStart = starts[low]!;
    const column = this.bytes ? this.bytes.toString('utf8', lineStart, byteOffset).length : byteOffset - lineStart;
    return { file: this.file, line: low + 1, column: column + 1 };
  }

  private computeLineStarts(): number[] {
    const starts = [0];
    if (this.bytes) {
      for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] === 0x0a) starts.push(i + 1);
    } else {
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    return starts;
  }
}
