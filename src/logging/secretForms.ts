/** An encoded form shorter than this is too common to be told apart from ordinary text. */
const MIN_ENCODED_LENGTH = 8;

/**
 * A secret as it appears in text, as client libraries write it: itself, percent-encoded
 * (`encodeURIComponent`, as in a signed URL's query), and in base64 and base64url at each of the
 * three byte offsets it may sit at inside a longer encoded text (`id:secret` of a Basic
 * authorization header), keeping only the characters that depend on the secret alone.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret, 'utf8');
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    // Characters carry 6 bits each: the first whose bits all come from the secret, to the last.
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    for (const alphabet of ['base64', 'base64url'] as const) {
      const form = padded.toString(alphabet).slice(first, end);
      if (form.length >= MIN_ENCODED_LENGTH) forms.add(form);
    }
  }
  return [...forms];
}
