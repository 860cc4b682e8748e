// files.js — a file as an input of analyzeChunks (web/js/causeway.js) that reads itself into the
// core: each FileHandle.read lands in WebAssembly memory, where the CSV reader parses it, so the
// kernel's copy is the only one. One reader per read of the file (winsorizing reads it again).
import { open } from 'node:fs/promises';

export async function fileReader(path, chunkBytes) {
  const fh = await open(path, 'r');
  return {
    chunkBytes,
    // Fewer bytes than asked only at the end of a regular file; 0 there.
    async readInto(view) {
      const { bytesRead } = await fh.read(view, 0, view.length, null);
      return bytesRead;
    },
    close: () => fh.close(),
  };
}
