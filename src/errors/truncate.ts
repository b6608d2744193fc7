/** Room kept for the cut mark: `…(`, up to 16 digits, ` bytes cut)…` (6 bytes for the two `…`). */
const MARK_BYTES = 36;

/**
 * `text` if its UTF-8 form is at most `maxBytes` long; otherwise its start and its end (a quarter
 * of the room: where a message says how many errors there were, a path names its property) with
 * the mark `…(N bytes cut)…` between them, cut between characters, never inside one. Call it on
 * text already redacted: a secret cut in two is no longer recognisable.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  // Every UTF-16 unit is at most 3 bytes of UTF-8: most text is decided without counting.
  if (text.length * 3 <= maxBytes) return text;
  const total = Buffer.byteLength(text, 'utf8');
  if (total <= maxBytes) return text;
  const room = Math.max(0, maxBytes - MARK_BYTES);
  const tailRoom = Math.floor(room / 4);
  const head = headWithin(text, room - tailRoom);
  const tail = tailWithin(text, tailRoom, head.units);
  return `${text.slice(0, head.units)}…(${total - head.bytes - tail.bytes} bytes cut)…${text.slice(text.length - tail.units)}`;
}

interface Span {
  /** UTF-16 units. */
  units: number;
  /** UTF-8 bytes. */
  bytes: number;
}

/** The longest start of `text` within `room` bytes. */
function headWithin(text: string, room: number): Span {
  let bytes = 0;
  let units = 0;
  while (units < text.length) {
    const unit = text.charCodeAt(units);
    const pair = isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(units + 1));
    const size = pair ? 4 : utf8Size(unit);
    if (bytes + size > room) break;
    bytes += size;
    units += pair ? 2 : 1;
  }
  return { units, bytes };
}

/** The longest end of `text` within `room` bytes that does not reach into its first `floor` units. */
function tailWithin(text: string, room: number, floor: number): Span {
  let bytes = 0;
  let units = 0;
  while (text.length - units > floor) {
    const unit = text.charCodeAt(text.length - units - 1);
    const pair =
      isLowSurrogate(unit) &&
      text.length - units - 2 >= floor &&
      isHighSurrogate(text.charCodeAt(text.length - units - 2));
    const size = pair ? 4 : utf8Size(unit);
    if (bytes + size > room) break;
    bytes += size;
    units += pair ? 2 : 1;
  }
  return { units, bytes };
}

/** UTF-8 bytes of one UTF-16 unit on its own (a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8Size(unit: number): number {
  if (unit < 0x80) return 1;
  return unit < 0x800 ? 2 : 3;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
