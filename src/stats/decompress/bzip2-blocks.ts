/**
 * The block map of a bzip2 file, found without decompressing it: bzip2 compresses each block of up to
 * 900 kB on its own, and marks each with a 48-bit magic number that need not start on a byte boundary.
 * Knowing where every block starts lets several threads decompress one file (`bzip2.ts`).
 *
 * A stream is `BZh1`–`BZh9`, blocks (magic 0x314159265359, the block's CRC, its data), and an end mark
 * (magic 0x177245385090, the stream's CRC, padding to a byte). Files written by parallel compressors
 * (pbzip2, lbzip2) hold several streams one after another.
 * @module
 */

/** One stream of a bzip2 file: where it starts (bytes) and its blocks (bit offsets of their magic). */
export interface Bzip2Stream {
  /** Byte offset of its `BZh` header in the file. */
  start: number;
  /** Bit offsets, from the start of the file, of each block's magic; in order. */
  blocks: number[];
  /** The CRC each block header declares, in the same order. */
  blockCrcs: number[];
  /** The stream CRC its end mark declares. */
  crc: number;
  /** Bit offset of the end mark's magic: where the stream's last block ends. */
  endBit: number;
  /** Byte offset just after the end mark's padding: where the next stream may start. */
  end: number;
}

const BLOCK_MAGIC = 0x314159265359;
const END_MAGIC = 0x177245385090;

/** Bit offsets of every occurrence of a 48-bit `magic` in `bytes`, in order. */
export function findMagic(bytes: Uint8Array, magic: number): number[] {
  const found: number[] = [];
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bits = (n: number, from: number, count: number) =>
    // The `count` bits of the 48-bit `n` starting `from` bits after its top.
    Math.floor(n / 2 ** (48 - from - count)) % 2 ** count;
  for (let shift = 0; shift < 8; shift++) {
    // The magic starting `shift` bits into a byte: its top (8 - shift) bits end that byte, five whole
    // bytes follow, and its last `shift` bits start the byte after them (none when shift is 0, where six
    // whole bytes hold it).
    const head = 8 - shift;
    const whole = Buffer.alloc(5);
    for (let i = 0; i < 5; i++) whole[i] = bits(magic, shift === 0 ? 8 * i : head + 8 * i, 8);
    const headBits = bits(magic, 0, shift === 0 ? 8 : head);
    const tailBits = shift === 0 ? bits(magic, 40, 8) : bits(magic, 48 - shift, shift);
    let at = buf.indexOf(whole, shift === 0 ? 0 : 1);
    while (at >= 0) {
      if (shift === 0) {
        if (at + 5 < buf.length && buf[at + 5] === tailBits) found.push(8 * at);
      } else if (
        at >= 1 &&
        at + 5 < buf.length &&
        (buf[at - 1]! & (2 ** head - 1)) === headBits &&
        buf[at + 5]! >> (8 - shift) === tailBits
      ) {
        found.push(8 * (at - 1) + shift);
      }
      at = buf.indexOf(whole, at + 1);
    }
  }
  return found.sort((a, b) => a - b);
}

/** The 32 bits at bit offset `bit` of `bytes`, as an unsigned number. */
export function read32(bytes: Uint8Array, bit: number): number {
  let value = 0;
  for (let i = 0; i < 32; i++) {
    const b = bit + i;
    value = value * 2 + ((bytes[b >> 3]! >> (7 - (b & 7))) & 1);
  }
  return value;
}

/**
 * The streams of a bzip2 file and their blocks, or undefined when the file does not read as a sequence
 * of well-formed streams (damaged, truncated, or a magic number that also occurs by chance inside the
 * compressed data): the caller then decompresses it in one pass, which reports the damage.
 */
export function bzip2Streams(bytes: Uint8Array): Bzip2Stream[] | undefined {
  const blocks = findMagic(bytes, BLOCK_MAGIC);
  const ends = findMagic(bytes, END_MAGIC);
  const streams: Bzip2Stream[] = [];
  let start = 0;
  let b = 0;
  for (const endBit of ends) {
    if (!isHeader(bytes, start)) return undefined;
    const own: number[] = [];
    // A stream's first block follows its 4-byte header directly.
    const expected = 8 * (start + 4);
    while (b < blocks.length && blocks[b]! < endBit) {
      if (own.length === 0 && blocks[b] !== expected) return undefined;
      own.push(blocks[b]!);
      b++;
    }
    if (own.length === 0 && endBit !== expected) return undefined;
    const end = Math.ceil((endBit + 48 + 32) / 8);
    streams.push({
      start,
      blocks: own,
      blockCrcs: own.map((bit) => read32(bytes, bit + 48)),
      crc: read32(bytes, endBit + 48),
      endBit,
      end,
    });
    start = end;
    if (start >= bytes.length) break;
  }
  if (streams.length === 0 || b !== blocks.length || start !== bytes.length) return undefined;
  // The stream CRC combines its blocks' CRCs: a block missed or found by chance shows here.
  for (const s of streams) {
    let combined = 0;
    for (const crc of s.blockCrcs) combined = (((combined << 1) | (combined >>> 31)) ^ crc) >>> 0;
    if (combined !== s.crc) return undefined;
  }
  return streams;
}

function isHeader(bytes: Uint8Array, at: number): boolean {
  return (
    at + 4 <= bytes.length &&
    bytes[at] === 0x42 &&
    bytes[at + 1] === 0x5a &&
    bytes[at + 2] === 0x68 &&
    bytes[at + 3]! >= 0x31 &&
    bytes[at + 3]! <= 0x39
  );
}
