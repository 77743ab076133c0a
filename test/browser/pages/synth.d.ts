/** Types of synth.js (plain JavaScript, served to the page as it is). */
export declare function uniform(seed: number): () => number;
export declare function synthBinary(n: number, d: number, seed: number): { X: Float64Array; y: number[] };
export declare function hex(values: ArrayLike<number>): string;
