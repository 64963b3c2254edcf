/**
 * postal-mime, loaded on first need. Its module (the HTML entity table above all) costs a
 * delivery about 4 M instructions to load, and a plain message needs none of it: the
 * simple tree (_simple_tree.ts) parses it, and its header needs postal-mime only for an
 * encoded word or an address field beyond the simple forms (address_field.ts).
 * parseMessage() loads it whenever the message needs it, before anything reads it
 * synchronously; a read before that is a bug, and throws rather than guess.
 */
type PostalModule = typeof import("postal-mime");

let loaded: PostalModule | undefined;

/** Load postal-mime once per process. */
export async function loadPostalMime(): Promise<PostalModule> {
  loaded ??= await import("postal-mime");
  return loaded;
}

/** postal-mime, which parseMessage() has loaded for this message. */
export function postalMime(): PostalModule {
  if (!loaded) throw new Error("postal-mime read before parseMessage() loaded it");
  return loaded;
}
