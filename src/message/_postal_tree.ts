import PostalMime from "postal-mime";

/**
 * The parts of postal-mime's parse tree that qmvc reads. postal-mime keeps its tree
 * (`root`, MimeNode) internal; we pin the version in package.json and
 * tests/message/postal_tree_test.ts fails if an upgrade changes this shape.
 */
export interface MimeNodeView {
  readonly childNodes: readonly MimeNodeView[];
  readonly contentType: {
    readonly value: string;
    readonly parsed: { readonly value: string; readonly params: Readonly<Record<string, string>> };
    readonly multipart: string | false;
  };
  readonly contentTransferEncoding: { readonly value: string; readonly encoding: string };
  readonly contentDisposition: {
    readonly value: string;
    readonly parsed: { readonly value: string; readonly params: Readonly<Record<string, string>> };
  };
  readonly headers: readonly {
    readonly key: string;
    readonly originalKey: string;
    readonly value: string;
  }[];
  /** The decoded body; a view into the message where decoding changes nothing (our trees). */
  readonly content: ArrayBuffer | Uint8Array | null;
  getTextContent(): string;
}

export interface PostalLimits {
  readonly maxNestingDepth: number;
  readonly maxHeadersSize: number;
}

/**
 * Parse with postal-mime and hand back its tree. message/rfc822 parts stay attachments
 * (their bodies undecoded as messages) because qmvc recurses into them itself, with its
 * own depth budget and part numbering.
 */
export async function parseMimeTree(
  bytes: Uint8Array,
  limits: PostalLimits,
): Promise<MimeNodeView> {
  const parser = new PostalMime({
    forceRfc822Attachments: true,
    maxRfc822NestingDepth: 0,
    maxNestingDepth: limits.maxNestingDepth,
    maxHeadersSize: limits.maxHeadersSize,
    attachmentEncoding: "arraybuffer",
  });
  await parser.parse(bytes);
  const root = (parser as unknown as { root?: MimeNodeView }).root;
  if (!root || !Array.isArray(root.childNodes)) {
    throw new Error("postal-mime no longer exposes its parse tree: check the pinned version");
  }
  return root;
}
