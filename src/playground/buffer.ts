/**
 * dockerfile-ast tells a BOM by Node's global `Buffer` (`Util.isUTF8BOM`, on every parse), which a
 * browser does not have. The build injects this in its place (esbuild `inject`: only the bundle's
 * free `Buffer` references see it, the page's globals stay as they are); the one call it serves is
 * `Buffer.from(char, 'UTF-8')`, read back as bytes.
 */
export const Buffer = {
  from: (text: string): Uint8Array => new TextEncoder().encode(text),
};
