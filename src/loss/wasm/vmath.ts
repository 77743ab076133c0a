// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// exp and log1p on two float64 lanes at once: the losses evaluate one exp and one log1p per row
// (binomial) or K exps and one log1p per row (multinomial), and done one value at a time these
// cost more than the matrix products of a sweep. Errors are within 1 ulp (checked against
// Math.exp and Math.log1p by test/loss/kernels.test.ts).
//
// Constants are read from a table in linear memory (one load-and-broadcast each) rather than
// written as v128 literals, which V8 rebuilds from general registers at every use (three
// instructions each); that, and short dependency chains, is most of the speed.

// Float constants, by index into CONST.
const EXP_HIGH = 0;
const EXP_LOW = 1;
const INV_LN2_64 = 2;
const SHIFT = 3;
const LN2_64_HI = 4;
const LN2_64_LO = 5;
const HALF = 6;
const SIXTH = 7;
const C24 = 8;
const C120 = 9;
const ONE = 10;
const TWO = 11;
const LN2_HI = 12;
const LN2_LO = 13;
const LG1 = 14;
const LG2 = 15;
const LG3 = 16;
const LG4 = 17;
const LG5 = 18;
const LG6 = 19;
const LG7 = 20;

const CONST = memory.data<f64>([
  709.77, // EXP_HIGH: largest argument (n = round(x·64/ln2) must stay below 2¹⁶)
  -708.39, // EXP_LOW: below it e^x is not a normal number and is flushed to 0
  92.33248261689366, // 64/ln 2
  6755399441055744.0, // SHIFT = 1.5·2⁵²: v + SHIFT rounds v to an integer left in the low bits
  0.01083042469326756, // ln2/64, high part (fdlibm's ln2_hi/64: 32 bits, so n·LN2_64_HI is exact)
  2.9815858269852933e-12, // ln2/64 − LN2_64_HI
  0.5,
  0.16666666666666666,
  0.041666666666666664,
  0.008333333333333333,
  1.0,
  2.0,
  6.93147180369123816490e-01, // fdlibm's ln2_hi
  1.90821492927058770002e-10, // fdlibm's ln2_lo
  // fdlibm's e_log.c minimax polynomial for (log(1 + f) − f + f²/2 − s·f²/2)/s, s = f/(2 + f).
  6.666666666666735130e-01,
  3.999999999940941908e-01,
  2.857142874366239149e-01,
  2.222219843214978396e-01,
  1.818357216161805012e-01,
  1.531383769920937332e-01,
  1.479819860511658591e-01,
]);

// Integer constants, by index into ICONST.
const SHIFT_BITS = 0;
const MASK_63 = 1;
const ONE_BITS = 2;
const LOG_SHIFT = 3;
const EXP_1023 = 4;
const MANTISSA = 5;
const SQRT_HALF_HIGH = 6;

const ICONST = memory.data<i64>([
  0x4338000000000000, // bits of SHIFT
  63,
  0x3ff0000000000000, // bits of 1.0
  0x00095f6200000000, // 0x3ff00000 − 0x3fe6a09e in the high word (fdlibm's e_log.c)
  0x3ff,
  0x000fffffffffffff,
  0x3fe6a09e00000000, // high word of √2/2
]);

// 2^(j/64), j = 0..63, as pairs (nearest double, remainder): exact to about 2⁻¹⁰⁶.
const EXP_TABLE = memory.data<f64>([
  1.0, 0.0,
  1.0108892860517005, -1.5234778603368577e-17,
  1.0218971486541166, 5.109225028973444e-17,
  1.0330248790212284, 7.600838874027088e-18,
  1.0442737824274138, 8.551889705537965e-17,
  1.0556451783605572, 1.759325738772092e-18,
  1.0671404006768237, -7.899853966841582e-17,
  1.0787607977571199, -6.656660436056593e-17,
  1.0905077326652577, -3.046782079812471e-17,
  1.102382583307841, 5.2660368715706944e-17,
  1.1143867425958924, 1.0410278456845571e-16,
  1.1265216186082418, 5.165856758795457e-17,
  1.1387886347566916, 8.912812676025408e-17,
  1.1511892299529827, 3.250710218863827e-17,
  1.1637248587775775, 3.8292048369240935e-17,
  1.1763969916502812, 5.554203254218079e-17,
  1.189207115002721, 3.982015231465646e-17,
  1.202156731452703, 6.644981499252301e-17,
  1.215247359980469, -7.712630692681488e-17,
  1.22848053610687, -1.89878163130253e-17,
  1.241857812073484, 4.658027591836937e-17,
  1.255380757024691, -6.7113898212968784e-18,
  1.2690509571917332, 2.667932131342186e-18,
  1.2828700160787783, 1.713594918243561e-17,
  1.2968395546510096, 2.5382502794888315e-17,
  1.3109612115247644, -7.181536135519454e-17,
  1.3252366431597413, -2.8587312100388614e-17,
  1.339667524053303, 8.927282594831732e-17,
  1.3542555469368927, 7.70094837980299e-17,
  1.3690024229745905, 9.593797919118849e-17,
  1.383909881963832, -6.770511658794786e-17,
  1.3989796725383112, -9.614213209051323e-17,
  1.4142135623730951, -9.667293313452913e-17,
  1.42961333839197, -1.2031642489053655e-17,
  1.4451808069770467, -3.0237581349939873e-17,
  1.460917794180647, -5.600377186075216e-17,
  1.4768261459394993, -3.483994556892796e-17,
  1.4929077282912648, 1.4192920154284036e-17,
  1.5091644275934228, -1.016455327754295e-16,
  1.5255981507445384, -1.1024941712342561e-16,
  1.5422108254079407, 7.949834809697621e-17,
  1.559004400237837, 3.7812070533575275e-17,
  1.5759808451078865, -1.0136916471278304e-17,
  1.593142151342267, -1.0094406542311964e-16,
  1.6104903319492543, 2.4707192569797888e-17,
  1.6280274218573478, -6.712955084707084e-17,
  1.645755478153965, -1.0125679913674773e-16,
  1.6636765803267364, 5.8909926967131e-17,
  1.681792830507429, 8.199010020581497e-17,
  1.7001063537185235, -8.0237193703977e-18,
  1.718619298122478, -1.851380418263111e-17,
  1.7373338352737062, 3.164389299292957e-17,
  1.7562521603732995, 2.960140695448873e-17,
  1.7753764925265212, 6.429731796556572e-17,
  1.7947090750031072, 1.8227458427912087e-17,
  1.8142521755003989, -9.969531538920349e-17,
  1.8340080864093424, 3.283107224245627e-17,
  1.8539791250833855, 9.761887490727594e-17,
  1.8741676341103, -6.122763413004143e-17,
  1.8945759815869656, 3.4034035352165297e-17,
  1.9152065613971474, -1.0619946056195963e-16,
  1.9360617934922943, 1.0332385960676326e-16,
  1.9571441241754002, 8.960767791036668e-17,
  1.978456026387951, 4.0388753109278167e-17,
]);

@inline function k(i: i32): v128 {
  return v128.load64_splat(CONST + (<usize>i << 3));
}

@inline function ki(i: i32): v128 {
  return v128.load64_splat(ICONST + (<usize>i << 3));
}

/**
 * eˣ in each lane, for x ≤ 709.77 (the losses only exponentiate −|z| and z − max z, both ≤ 0).
 * x = (64m + j)·ln2/64 + r with |r| ≤ ln2/128, so eˣ = 2ᵐ·2^(j/64)·eʳ: eʳ − 1 = q from its Taylor
 * series to r⁵ (remainder below 2⁻⁶⁰), 2^(j/64) = hi + lo from the table, and
 * eˣ = 2ᵐ·(hi + (hi·q + lo)). Results below the smallest normal number (x < −708.39) are
 * flushed to 0; NaN stays NaN.
 */
@inline export function vexp(x: v128): v128 {
  // pmin/pmax keep a NaN in x (it is the first operand) and compile to one instruction each.
  const xc = f64x2.pmax(f64x2.pmin(x, k(EXP_HIGH)), k(EXP_LOW));
  const t = f64x2.add(f64x2.mul(xc, k(INV_LN2_64)), k(SHIFT));
  const nf = f64x2.sub(t, k(SHIFT));
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(nf, k(LN2_64_HI))), f64x2.mul(nf, k(LN2_64_LO)));
  const r2 = f64x2.mul(r, r);
  const a = f64x2.add(k(HALF), f64x2.mul(r, k(SIXTH)));
  const b = f64x2.add(k(C24), f64x2.mul(r, k(C120)));
  const q = f64x2.add(r, f64x2.mul(r2, f64x2.add(a, f64x2.mul(r2, b))));
  const n = i64x2.sub(t, ki(SHIFT_BITS));
  const e0 = v128.load(EXP_TABLE + (<usize>(<i32>i64x2.extract_lane(n, 0) & 63) << 4));
  const e1 = v128.load(EXP_TABLE + (<usize>(<i32>i64x2.extract_lane(n, 1) & 63) << 4));
  const hi = v128.shuffle<i64>(e0, e1, 0, 2);
  const lo = v128.shuffle<i64>(e0, e1, 1, 3);
  // 2ᵐ: (n − j)·2⁴⁶ = m·2⁵² is m in the exponent field.
  const scale = i64x2.add(i64x2.shl(v128.andnot(n, ki(MASK_63)), 46), ki(ONE_BITS));
  const res = f64x2.mul(f64x2.add(hi, f64x2.add(f64x2.mul(hi, q), lo)), scale);
  return v128.andnot(res, f64x2.lt(x, k(EXP_LOW)));
}

/**
 * log(1 + x) in each lane, for 0 ≤ x < 2¹⁰²³ (the losses call it on e^−|z| ∈ (0, 1] and on sums of
 * such terms). u = 1 + x is rounded, and log1p(x) = log(u) + (x − (u − 1))/u restores what the
 * rounding lost (exact to first order, which is all that is left of it). log(u): u = 2ᵏ·(1 + f)
 * with 1 + f ∈ [√2/2, √2), log(1 + f) by fdlibm's kernel (Sun Microsystems, e_log.c), k·ln2
 * added in two parts.
 */
@inline export function vlog1p(x: v128): v128 {
  const u = f64x2.add(k(ONE), x);
  const corr = f64x2.div(f64x2.sub(x, f64x2.sub(u, k(ONE))), u);
  // Shift the mantissa range from [1, 2) to [√2/2, √2) by moving the high word.
  const bits = i64x2.add(u, ki(LOG_SHIFT));
  const kInt = i64x2.sub(i64x2.shr_u(bits, 52), ki(EXP_1023));
  const m = i64x2.add(v128.and(bits, ki(MANTISSA)), ki(SQRT_HALF_HIGH));
  const f = f64x2.sub(m, k(ONE));
  const kf = f64x2.sub(i64x2.add(kInt, ki(SHIFT_BITS)), k(SHIFT));
  const hfsq = f64x2.mul(k(HALF), f64x2.mul(f, f));
  const s = f64x2.div(f, f64x2.add(k(TWO), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(k(LG2), f64x2.mul(w, f64x2.add(k(LG4), f64x2.mul(w, k(LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(k(LG1), f64x2.mul(w, f64x2.add(k(LG3), f64x2.mul(w, f64x2.add(k(LG5), f64x2.mul(w, k(LG7))))))));
  const R = f64x2.add(t2, t1);
  const inner = f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), f64x2.mul(kf, k(LN2_LO))));
  const logu = f64x2.sub(f64x2.mul(kf, k(LN2_HI)), f64x2.sub(inner, f));
  return f64x2.add(logu, corr);
}

/** Scalar forms of the same functions (lane 0), for the few values that do not come in pairs. */
@inline export function sexp(x: f64): f64 {
  return f64x2.extract_lane(vexp(f64x2.splat(x)), 0);
}

@inline export function slog1p(x: f64): f64 {
  return f64x2.extract_lane(vlog1p(f64x2.splat(x)), 0);
}
