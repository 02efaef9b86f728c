#!/usr/bin/env python3
"""numpy reference figures for bench/RESULTS.md.

Times BandwidthBench's ops (F32, shape [4096, 4096]) and F32/F64 matmuls with numpy, best of
several repeats of a timeit loop, and writes bench/target/numpy.json: {name: seconds per call}.
ResultsReport reads it and sets nabla's throughput beside numpy's. BLAS threads are pinned to 2
(OPENBLAS/OMP/MKL_NUM_THREADS) before numpy is imported; numpy's elementwise ops and reductions
run on one thread whatever that setting.

Names: "bandwidth.<op>" (copy, add, mul, exp, tanh, sigmoid, sum, amax, logsumexp, softmax),
"matmul.<case>" for each GemmCase name ("matmul.n=1024", "matmul.128x784@784x256^T", ...), and "_meta".

    python3 bench/compare_numpy.py [out.json]
"""
import os

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "2"

import json
import re
import sys
import timeit

import numpy as np

ROWS = COLS = 4096
REPEATS = 5
MIN_SECONDS = 0.2  # each repeat runs the op this long at least


def best(fn):
    """Seconds per call: timeit's autorange for the loop count, then the best of REPEATS loops."""
    t = timeit.Timer(fn)
    number = 1
    while True:
        if t.timeit(number) >= MIN_SECONDS:
            break
        number *= 2
    return min(t.repeat(repeat=REPEATS, number=number)) / number


def bandwidth():
    rng = np.random.default_rng(7)
    a = rng.standard_normal((ROWS, COLS), dtype=np.float32)
    b = rng.standard_normal((ROWS, COLS), dtype=np.float32)
    dst = np.empty_like(a)

    def logsumexp(x):
        m = x.max(axis=1, keepdims=True)
        return (m + np.log(np.exp(x - m).sum(axis=1, keepdims=True)))[:, 0]

    def softmax(x):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        e /= e.sum(axis=1, keepdims=True)
        return e

    ops = {
        "copy": lambda: np.copyto(dst, a),
        "add": lambda: np.add(a, b),
        "mul": lambda: np.multiply(a, b),
        "exp": lambda: np.exp(a),
        "tanh": lambda: np.tanh(a),
        # numpy has no sigmoid: the usual composition (three passes)
        "sigmoid": lambda: 1 / (1 + np.exp(-a)),
        "sum": lambda: a.sum(),
        "amax": lambda: a.max(axis=1),
        "logsumexp": lambda: logsumexp(a),
        "softmax": lambda: softmax(a),
    }
    return {"bandwidth." + k: best(f) for k, f in ops.items()}


# the cases of GemmCase.ALL (bench/src/main/java/dev/nabla/bench/GemmCase.java), named the same way
MATMUL_CASES = [
    "n=256", "n=512", "n=1024", "n=2048",
    "128x784@784x256", "128x784@784x256^T", "256x128^T@128x784", "128x256@256x784",
    "128x256@256x10", "128x256@256x10^T", "10x128^T@128x256", "128x10@10x256",
    "64*64x64@64x64",
    "f64 n=512", "f64 n=1024",
]

CASE = re.compile(r"(f64 )?(?:(\d+)\*)?(\d+)x(\d+)(\^T)?@(\d+)x(\d+)(\^T)?")


def operands(name, rng):
    """a and b as GemmCase builds them: a ^T operand is the transposed view of a contiguous array."""
    square = re.fullmatch(r"(f64 )?n=(\d+)", name)
    if square:
        f64, batch, m, k, n, ta, tb = square.group(1), None, *([int(square.group(2))] * 3), None, None
    else:
        g = CASE.fullmatch(name)
        f64, batch, m, k, ta, n, tb = g.group(1), g.group(2), int(g.group(3)), int(g.group(4)), g.group(5), \
            int(g.group(7)), g.group(8)
    dtype = np.float64 if f64 else np.float32
    lead = (int(batch),) if batch else ()

    def make(rows, cols, transposed):
        shape = lead + ((cols, rows) if transposed else (rows, cols))
        x = rng.standard_normal(shape, dtype=dtype)
        return np.swapaxes(x, -1, -2) if transposed else x

    return make(m, k, ta), make(k, n, tb)


def matmul():
    rng = np.random.default_rng(42)
    out = {}
    for name in MATMUL_CASES:
        a, b = operands(name, rng)
        out["matmul." + name] = best(lambda: a @ b)
    return out


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        return cfg["Build Dependencies"]["blas"]["name"]
    except Exception:
        return "unknown"


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "target", "numpy.json")
    results = {}
    results.update(bandwidth())
    results.update(matmul())
    results["_meta"] = f"numpy {np.__version__}, BLAS {blas_name()}, 2 BLAS threads, best of {REPEATS}"
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    with open(out_path, "w") as f:
        json.dump(results, f, indent=1)
    for k, v in results.items():
        print(f"{k:32s} {v if isinstance(v, str) else f'{v * 1e3:10.3f} ms'}")


if __name__ == "__main__":
    main()
