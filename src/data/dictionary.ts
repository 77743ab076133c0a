import type { Arena } from '../backend/arena.js';
import { compareUtf8 } from './table.js';

/**
 * The level dictionary of one text column while a file is read: a hash table in kernel memory
 * (src/data/wasm/csv.ts, `internColumn`) from a field's bytes to its level, in order of first
 * appearance, with the levels' bytes in a pool. It lives across the windows of a file; before each
 * window, `reserve` makes room for every row of the window being a new level (the kernel never
 * grows anything). At the end, `finish` decodes the levels, sorts them by their bytes and
 * renumbers the codes to that order.
 */

// The header's int32 fields (the layout internColumn reads).
const D_COUNT = 0;
const D_SLOTS = 1;
const D_SLOT_MASK = 2;
const D_OFFSETS = 3;
const D_LENGTHS = 4;
const D_HASHES = 5;
const D_POOL = 6;
const D_POOL_USED = 7;
const D_KEYS = 8;
const D_COUNTS = 9;
const HEADER_BYTES = 64;

export class LevelDictionary {
  readonly header: number;
  private slotCount = 0;
  private levelCap = 0;
  private poolCap = 0;

  constructor(private readonly arena: Arena) {
    this.header = arena.alloc(HEADER_BYTES);
  }

  private field(f: number): number {
    return this.arena.i32(this.header, 16)[f]!;
  }

  private setField(f: number, v: number): void {
    this.arena.i32(this.header, 16)[f] = v;
  }

  /** Levels so far. */
  get count(): number {
    return this.field(D_COUNT);
  }

  /** Makes room for `rows` more fields of at most `bytes` bytes in all (slots kept at most half full). */
  reserve(rows: number, bytes: number): void {
    const a = this.arena;
    const count = this.count;
    const need = count + rows;
    if (need > this.levelCap) {
      const cap = Math.max(need, this.levelCap * 2, 64);
      for (const f of [D_OFFSETS, D_LENGTHS, D_HASHES]) {
        const ptr = a.alloc(cap * 4, false);
        if (count > 0) a.u32(ptr, count).set(a.u32(this.field(f), count));
        this.setField(f, ptr);
      }
      const keys = a.alloc(cap * 8, false);
      if (count > 0) a.u32(keys, 2 * count).set(a.u32(this.field(D_KEYS), 2 * count));
      this.setField(D_KEYS, keys);
      const counts = a.alloc(cap * 4, false);
      if (count > 0) a.u32(counts, count).set(a.u32(this.field(D_COUNTS), count));
      this.setField(D_COUNTS, counts);
      this.levelCap = cap;
    }
    const used = this.field(D_POOL_USED);
    if (used + bytes > this.poolCap) {
      const cap = Math.max(used + bytes, this.poolCap * 2, 4096);
      const ptr = a.alloc(cap, false);
      if (used > 0) a.u8(ptr, used).set(a.u8(this.field(D_POOL), used));
      this.setField(D_POOL, ptr);
      this.poolCap = cap;
    }
    if (2 * need > this.slotCount) {
      let slots = Math.max(this.slotCount, 128);
      while (slots < 2 * need) slots *= 2;
      this.setField(D_SLOTS, a.alloc(slots * 4));
      this.setField(D_SLOT_MASK, slots - 1);
      this.slotCount = slots;
      a.fn('rehashDictionary')(this.header);
    }
  }

  /** The levels' UTF-8 bytes, in order of first appearance. */
  private levelBytes(): Uint8Array[] {
    const a = this.arena;
    const count = this.count;
    if (count === 0) return [];
    const offsets = a.u32(this.field(D_OFFSETS), count);
    const lengths = a.u32(this.field(D_LENGTHS), count);
    const pool = this.field(D_POOL);
    return Array.from({ length: count }, (_, k) => a.u8(pool + offsets[k]!, lengths[k]!).slice());
  }

  /**
   * The levels sorted by their bytes with the number of rows of each, and codes (in order of first
   * appearance, −1 missing) renumbered in place to that order.
   */
  finish(codes: Int32Array): { levels: string[]; counts: Int32Array } {
    const decoder = new TextDecoder();
    const text = this.levelBytes().map((b) => decoder.decode(b));
    const order = text.map((_, k) => k).sort((i, j) => compareUtf8(text[i]!, text[j]!));
    const rank = new Int32Array(order.length);
    order.forEach((k, r) => {
      rank[k] = r;
    });
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      if (c >= 0) codes[i] = rank[c]!;
    }
    const counts = this.arena.u32(this.field(D_COUNTS), order.length);
    return { levels: order.map((k) => text[k]!), counts: Int32Array.from(order, (k) => counts[k]!) };
  }
}
