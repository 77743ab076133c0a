import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, logreg, tempDir } from '../helpers/cli.js';

// Regressions of the defects found by trying to break logreg (issue "Trustworthy results"): each
// test failed before its fix. Every failure must be one line naming the file, line, column or
// option, exit code 1, and leave no output file behind.

const dir = tempDir();
const f = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

function expectOneLine(r: { status: number | null; stderr: string }, message: RegExp) {
  expect(r.status).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('wrong answers are no longer given silently', () => {
  it('a cell of spaces is missing, never 0 (the reproduction of the issue exits 1)', () => {
    const p = f('blank.csv', 'a,b,y\n1,2,0\n  ,3,1\n2,1,0\n0,0,1\n');
    expectOneLine(logreg(['train', '--data', p]), /blank\.csv: line 3, column "a": missing value/);
    for (const cell of ['\t', '\u00a0', '\ufeff']) {
      expectOneLine(logreg(['train', '--data', f('blank2.csv', `a,b,y\n1,2,0\n${cell},3,1\n2,1,0\n0,0,1\n`)]), /line 3, column "a": missing value/);
    }
    // A label of only a no-break space is missing too, not a class.
    expectOneLine(logreg(['train', '--data', f('blank3.csv', 'a,y\n1,0\n2,\u00a0\n3,1\n')]), /line 3, column "y": missing value/);
  });

  it('evaluate reads the labels of a target column that is also a feature (spector, --target PSI)', () => {
    const model = join(dir, 'spector.json');
    expect(logreg(['train', '--data', 'spector', '--out', model, '--quiet']).status).toBe(0);
    const spector = readFileSync(join(__dirname, '../../datasets/spector.csv'), 'utf8').trim().split('\n');
    const noGrade = f('spector-psi.csv', spector.map((l) => l.split(',').slice(0, 3).join(',')).join('\n'));
    // The model predicts GRADE, so these "labels" are PSI's 0/1: the support of class 1 is PSI's count of 1s.
    const r = logreg(['evaluate', '--model', model, '--data', noGrade, '--target', 'PSI', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const ones = spector.slice(1).filter((l) => l.split(',')[2] === '1').length;
    expect(ones).toBe(14);
    expect(out.per_class.find((c: { class: number }) => c.class === 1).support).toBe(ones);
  });

  it('the model stores its target: evaluate uses it, whatever the last column is', () => {
    const model = join(dir, 'target.json');
    expect(logreg(['train', '--data', f('t-train.csv', 'a,b,label\n1,2,x\n3,1,y\n5,6,x\n7,2,y\n2,2,x\n6,1,y\n'), '--out', model, '--quiet']).status).toBe(0);
    expect(JSON.parse(readFileSync(model, 'utf8')).target).toBe('label');
    const r = logreg(['evaluate', '--model', model, '--data', f('t-eval.csv', 'label,a,b,extra\nx,1,2,q\ny,3,1,q\n'), '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ target: 'label', n_samples: 2 });
  });

  it('separation: iris --penalty none --summary says separation, never collinearity', () => {
    const r = logreg(['train', '--data', 'iris', '--penalty', 'none', '--summary']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/inference not available: quasi-complete separation/);
    expect(r.stdout).not.toMatch(/collinear|linear combination/);
  });

  it('a fit that ends non-finite exits 1 and writes no model', () => {
    const out = join(dir, 'diverged.json');
    const cases: Array<[string[], RegExp]> = [
      [['--solver', 'gd', '--learning-rate', '1e10'], /^logreg: the fit failed: .*learning rate 10000000000 is too large/],
      [['--solver', 'sgd', '--learning-rate', '1e300'], /^logreg: the fit failed: /],
      [['--C', '1e-320'], /^logreg: C = 1e-320 is too small/],
    ];
    for (const [args, message] of cases) {
      expectOneLine(logreg(['train', '--data', 'iris', ...args, '--out', out]), message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('weights summing past 1e308 fit as weights of 1 with C scaled alike; weights of 5e-324 are refused clearly', () => {
    // J(s, C) = J(s/m, C·m): weights 1e308 at C = 1 is weights 1 at C = 1e308.
    const rows = ['a,b,w,y', '1,2,W,x', '3,1,W,y', '5,6,W,x', '7,2,W,y', '2,2,W,x', '6,1,W,y'];
    const run = (w: string, C: string) => logreg(['train', '--data', f(`w${w}.csv`, rows.join('\n').replace(/W/g, w)), '--weight-column', 'w', '--C', C, '--json']);
    const big = run('1e308', '1');
    expect(big.status).toBe(0);
    const one = JSON.parse(run('1', '1e308').stdout).objective as number;
    expect(Number.isFinite(JSON.parse(big.stdout).objective)).toBe(true);
    expect(Math.abs(JSON.parse(big.stdout).objective - one)).toBeLessThan(1e-12);
    expectOneLine(run('5e-324', '1'), /^logreg: C = 1 is too small for weights this small \(they sum to 3e-323\)/);
  });

  it('rows near the float64 limit get finite probabilities summing to 1', () => {
    const model = join(dir, 'extreme.json');
    expect(logreg(['train', '--data', f('ex-train.csv', 'a,b,y\n1,2,x\n3,1,y\n5,6,x\n7,2,y\n2,2,x\n6,1,y\n'), '--out', model, '--quiet']).status).toBe(0);
    const data = f('ex.csv', 'a,b,y\n1e308,-1e308,x\n-1e308,1e308,y\n1.7e308,1.7e308,x\n');
    const r = logreg(['predict', '--model', model, '--data', data]);
    expect(r.status).toBe(0);
    for (const line of r.stdout.trim().split('\n').slice(1)) {
      const p = line.split(',').slice(1).map(Number);
      expect(p.every(Number.isFinite)).toBe(true);
      expect(p[0]! + p[1]!).toBeCloseTo(1, 15);
    }
    const e = logreg(['evaluate', '--model', model, '--data', data]);
    expect(e.status).toBe(0);
    expect(e.stdout).toMatch(/log loss (Infinity|\d)/);
    expect(e.stdout).not.toMatch(/NaN/);
  });
});

describe('files are never damaged', () => {
  const model = () => {
    const m = join(dir, 'iris-model.json');
    if (!existsSync(m)) expect(logreg(['train', '--data', 'iris', '--out', m, '--quiet']).status).toBe(0);
    return m;
  };

  it('--out through a symbolic link writes its target and keeps the link; an existing file keeps its mode', () => {
    const target = f('real.csv', 'old\n');
    chmodSync(target, 0o600);
    const link = join(dir, 'link.csv');
    symlinkSync(target, link);
    expect(logreg(['predict', '--model', model(), '--data', 'iris', '--out', link]).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toMatch(/^prediction,p_setosa/);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('--out to a device is written directly: /dev/null stays a device, /dev/stdout reaches stdout', () => {
    expect(logreg(['predict', '--model', model(), '--data', 'iris', '--out', '/dev/null']).status).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const r = logreg(['predict', '--model', model(), '--data', 'iris', '--out', '/dev/stdout']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(152);
  });

  it('--out equal to the input, and empty --out / --data, are refused before any work', () => {
    const data = f('in.csv', 'a,b,y\n1,2,x\n3,1,y\n5,6,x\n7,2,y\n');
    expectOneLine(logreg(['train', '--data', data, '--out', data]), /--out .*in\.csv is the input data file; writing it would destroy the data/);
    expect(readFileSync(data, 'utf8')).toBe('a,b,y\n1,2,x\n3,1,y\n5,6,x\n7,2,y\n');
    expectOneLine(logreg(['train', '--data', data, '--out', '']), /^logreg: --out needs a file name$/);
    expectOneLine(logreg(['train', '--data', '']), /^logreg: --data needs a file, a bundled data set name/);
  });

  it('--plots into a folder that cannot be made fails at once, naming the option (no spin on /proc)', () => {
    const t0 = Date.now();
    const r = logreg(['evaluate', '--model', model(), '--data', 'iris', '--plots', '/proc/x/y']);
    expectOneLine(r, /^logreg: --plots \/proc\/x\/y: cannot create the folder/);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('--data - reads standard input', () => {
    const r = spawnSync(process.execPath, [CLI, 'train', '--data', '-', '--json'], {
      input: 'a,b,y\n1,2,x\n3,1,y\n5,6,x\n7,2,y\n', encoding: 'utf8', cwd: dir,
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ n_samples: 4, target: 'y' });
  });
});

describe('no crashes and no leaks', () => {
  it('a closed stdout (| head) ends quietly with exit 0; a full disk is one line and exit 1', () => {
    const m = join(dir, 'digits.json');
    expect(logreg(['train', '--data', 'digits', '--out', m, '--quiet']).status).toBe(0);
    const head = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" predict --model "${m}" --data digits | head -1 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(head.stdout.trim()).toBe('0');
    expect(head.stderr).toBe('');
    const full = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" predict --model "${m}" --data digits > /dev/full`], { encoding: 'utf8' });
    expect(full.status).toBe(1);
    expect(full.stderr.trim().split('\n')).toHaveLength(1);
    expect(full.stderr).toMatch(/^logreg: could not write to standard output \(ENOSPC\)/);
  });

  it('repeated threaded predictions on fresh data keep memory flat', () => {
    // 300 predictions on 10,000 × 20 copies (1.6 MB each): a leak of one copy per call is 480 MB.
    const script = `
      import { fit } from ${JSON.stringify(join(__dirname, '../../dist/index.js'))};
      const n = 10000, d = 20;
      const X = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => Math.sin(i * 7 + j)));
      const y = Array.from({ length: n }, (_, i) => i % 3 === 0 ? 1 : 0);
      const m = fit(X, y, { threads: 2 });
      m.predictProba(X);
      const rss0 = process.memoryUsage().rss;
      for (let r = 0; r < 300; r++) m.predictProba(X);
      console.log(process.memoryUsage().rss - rss0);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(Number(r.stdout) / 2 ** 20).toBeLessThan(200);
  });
});

describe('smaller defects', () => {
  it('hex, binary and octal literals are not numbers, in cells or options', () => {
    expectOneLine(logreg(['train', '--data', 'iris', '--C', '0x10']), /^logreg: --C must be a positive number, got 0x10$/);
    const r = logreg(['train', '--data', f('hex.csv', 'a,b,y\n1,0x10,x\n3,2,y\n5,4,x\n7,6,y\n'), '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.features).toEqual(['a', 'b[T.2]', 'b[T.4]', 'b[T.6]']);
    expect(out.warnings.join(' ')).toMatch(/column "b" is treated as categorical: 3 of its 4 values are numbers, but "0x10" is not/);
  });

  it('an error quotes a long cell cut at 80 characters', () => {
    const model = join(dir, 'cat.json');
    expect(logreg(['train', '--data', f('cat.csv', 'c,y\na,x\nb,y\na,x\nb,y\n'), '--out', model, '--quiet']).status).toBe(0);
    const r = logreg(['evaluate', '--model', model, '--data', f('long.csv', `c,y\n${'z'.repeat(100_000)},x\n`)]);
    expectOneLine(r, /column "c": the level "z{80}…" was not seen in fitting/);
    expect(r.stderr.length).toBeLessThan(400);
  });

  it('--test-size never leaves a class out of the fit: a single-row class is refused first', () => {
    expectOneLine(
      logreg(['train', '--data', f('few.csv', 'a,y\n1,x\n2,x\n3,y\n4,x\n5,x\n'), '--test-size', '0.4']),
      /^logreg: --test-size: the class "y" has a single row in .*few\.csv, so it cannot be both fitted and tested/,
    );
  });

  it('labels "1" and "1.0" are two classes, and the report warns', () => {
    const r = logreg(['train', '--data', f('labels.csv', 'a,y\n1,1\n2,1.0\n3,0\n4,x\n5,1\n6,0\n'), '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).warnings.join(' ')).toMatch(/the labels "1" and "1\.0" are different classes/);
  });

  it('a class whose rows all weigh 0 is refused, naming it', () => {
    expectOneLine(
      logreg(['train', '--data', f('zero.csv', 'a,w,y\n1,1,x\n2,0,y\n3,1,x\n4,0,y\n'), '--weight-column', 'w']),
      /^logreg: the class "y" has zero total weight, so it cannot be fitted/,
    );
  });

  it('flags given values, and oversized model files, are refused', () => {
    for (const a of ['--standardize=1', '--standardize=maybe', '--json=yes']) {
      expectOneLine(logreg(['train', '--data', 'iris', a]), /is a flag: give it alone \(or =true \/ =false\)/);
    }
    const big = join(dir, 'big.json');
    spawnSync('truncate', ['-s', '600M', big]);
    expectOneLine(logreg(['predict', '--model', big, '--data', 'iris']), /^logreg: --model .*big\.json is 600 MiB, larger than any logreg model/);
  });
});
