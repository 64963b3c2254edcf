import type { Part } from "./message.ts";

/** What the edge lends a long read of a text: turns for its collector and its event loop. */
export interface ReadingTurns {
  /** The runtime's garbage collection: the garbage between two turns is what the peak holds. */
  readonly collect?: () => void;
  /**
   * Awaited after each piece of a part's text (about a megabyte): the edge yields to its
   * event loop, so a signal such as qmail's SIGTERM is handled within a piece's time, not
   * after the whole of a big body.
   */
  readonly pause?: () => Promise<void>;
}

/** Text read between two turns of the collector, when the reader asks for them. */
const COLLECT_EVERY = 2 * 1024 * 1024;

/**
 * Each piece of a part's text (`textPieces`) handed to `each`, with the edge's turns in
 * between: a pause after every piece, a collection every couple of megabytes unless the
 * reader collects itself (`collects: false`).
 */
export async function eachTextPiece(
  part: Part,
  each: (piece: string) => void,
  turns: ReadingTurns & { readonly collects?: boolean },
): Promise<void> {
  let sinceCollection = 0;
  for (const piece of part.textPieces()) {
    each(piece);
    sinceCollection += piece.length;
    if (turns.collects !== false && turns.collect && sinceCollection >= COLLECT_EVERY) {
      turns.collect();
      sinceCollection = 0;
    }
    await turns.pause?.();
  }
}
