/**
 * A piece of a file (a chunk of whole statements) that the parser reads on its own: byte offsets are
 * counted from the piece's start, as the parser gives them, and `location` answers in the whole
 * file's lines and columns.
 */
import type { SourceLocation } from '../catalog/types.js';
import { FileText } from './file-text.js';

export class FileSlice extends FileText {
  constructor(
    file: string,
    text: string,
    /** 1-based line and column of the slice's first character in the file. */
    private readonly line: number,
    private readonly column: number,
  ) {
    super(file, text);
  }

  override location(byteOffset: number): SourceLocation {
    const local = super.location(byteOffset);
    if (local.line === 1) return { file: local.file, line: this.line, column: this.column + local.column - 1 };
    return { file: local.file, line: this.line + local.line - 1, column: local.column };
  }
}
