package dev.nabla.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched strided matrix multiply for the CPU backend: C[b] = A[b]·B[b], C contiguous row-major.
 *
 * <p>Tiling (GotoBLAS/BLIS style, with the vector lanes along n because C is row-major):
 * <ul>
 *   <li>Micro-kernel: an MR×NR tile of C stays in registers for a whole k-block, NR = 2 vectors.
 *       F32: 6×(2·16) with 512-bit vectors, F64: 6×(2·8). That is 12 accumulators + 2 B vectors +
 *       1 broadcast = 15 of the 32 zmm registers (C2 keeps them all live without spills). Each k
 *       step does 2 vector loads + 6 broadcast loads for 12 FMAs, so the loop is bound by FMA
 *       throughput, not by loads, and 12 independent chains hide the 4-cycle FMA latency. A
 *       6×(1 vector) variant covers a ragged last column strip no wider than one vector.</li>
 *   <li>Packing (large products): a KC×NC block of B is copied into column strips NR wide (row p
 *       of a strip is NR consecutive values), so the kernel's two B loads per k step are unit-stride
 *       whatever B's strides are; a transposed B (nn.Linear's {@code x @ W.mT()}, whose columns
 *       are W's rows) is transposed 16×16 blocks at a time in registers ({@link Transpose16}). An MC×KC block of A is copied into strips of
 *       MR rows in whichever order reads A sequentially: row after row (MR arraycopies) when A's
 *       rows are unit-stride, column after column when A is a transposed view (the weight
 *       gradient's {@code G.mT() @ x}); the kernel takes either through its strides, because it
 *       only broadcasts scalars of A. The copies give the kernel short L1-resident strides (no
 *       cache-set aliasing when A's row stride is a power of two); ragged edges are zero-padded,
 *       so the kernel always computes whole tiles and only an edge tile's write-back goes through
 *       a small scratch tile.</li>
 *   <li>Cache blocking: the innermost loop walks the NR strips of the packed B block with one
 *       MR×KC strip of A, which stays in L1 (6·256·4 B = 6 KiB for F32, KC = 256). The packed B
 *       block (KC·NC·4 B = 512 KiB with NC = 512) and the A block (MC = 96 rows, 96 KiB) stay in
 *       the 1 MiB per-core L2 and are streamed from there at ~11 B/cycle, well below L2 bandwidth.
 *       k is cut into equal blocks of at most KC (784 = 4 × 196, not 3 × 256 + 16): each block
 *       loads and stores the C tiles once, and a thin last block would pay that for little work.
 *       KC = 256 keeps the C-tile traffic under 1% of the FMAs. F64 uses KC = 192, NC = 384, about
 *       the same bytes. Packing costs O(mk·n/NC + nk·m/MC) copies: a few percent.</li>
 *   <li>Medium products (B up to 48K elements, 192 KiB, so it stays in L2): no packing. The
 *       same kernel runs on A and B in place (A by its strides, B by its row stride when its
 *       columns are unit-stride); only ragged last strips are packed. Packing would cost 10-30%
 *       at these sizes.</li>
 *   <li>Small products (m·n·k up to 32K, k up to 4, n within one vector, or m below 4): a direct
 *       kernel keeps 8 (then 4, then 1) rows × 1 masked vector of C in registers, with no packing
 *       and no tiles.</li>
 *   <li>Parallelism: work units are (matrix, part). A matrix of 12M flops or more is cut into one
 *       part per thread along its longer side, in whole MR rows or NR columns. Units go to
 *       {@link Parallel#forRange}, so a batch of many small matrices is split over the batch and
 *       one big matrix over its rows. Below 12M flops in total everything stays on the calling
 *       thread. The pool's workers spin briefly between tasks ({@link Parallel}), so a hand-off
 *       costs about a microsecond while work keeps coming. Each task packs into its own
 *       thread-local scratch: a split along n packs all of A in each thread, a split along m all
 *       of B, the price of needing no barrier between threads.</li>
 * </ul>
 */
final class GemmKernel {
    private GemmKernel() {}

    /** Below this many flops in total the call runs on the calling thread only. */
    static final long PAR_MIN_FLOPS = 12L << 20;
    /** A matrix is split across threads when it alone has this many flops. */
    static final long SPLIT_MIN_FLOPS = 12L << 20;
    /** Products with at most this many multiply-adds take the direct (unpacked) path. */
    static final long DIRECT_MAX_MNK = 32L * 1024;

    // ------------------------------------------------------------------------------------------
    // F32
    // ------------------------------------------------------------------------------------------

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();
    private static final int F_MR = 6;
    private static final int F_NR = 2 * FL;
    private static final int F_KC = 256;
    private static final int F_MC = 16 * F_MR;
    private static final int F_NC = Math.max(F_NR, 512 / F_NR * F_NR);
    /** Up to this many elements in B (k·n), B stays in L2 and the product runs unpacked. */
    private static final long F_TILED_MAX_KN = 48 * 1024;

    private static final class FScratch {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[F_MR * F_NR];
        /** Lane offsets {0, s, 2s, …} for gathering a strided row, and the stride s they are for. */
        final int[] gather = new int[FL];
        int gatherStride;
    }

    /** This thread's gather offsets for a column stride. */
    private static int[] gatherIndex(int stride) {
        FScratch s = F_SCRATCH.get();
        if (s.gatherStride != stride) {
            for (int i = 0; i < FL; i++) s.gather[i] = i * stride;
            s.gatherStride = stride;
        }
        return s.gather;
    }

    private static final ThreadLocal<FScratch> F_SCRATCH = ThreadLocal.withInitial(FScratch::new);

    static void sgemm(int batch, int m, int n, int k, float[] a, long aOff, long aBatch, long aRow, long aCol,
                      float[] b, long bOff, long bBatch, long bRow, long bCol, float[] c, long cOff) {
        if (batch <= 0 || m <= 0 || n <= 0) return;
        long mn = (long) m * n;
        if (k <= 0) {
            Arrays.fill(c, (int) cOff, (int) (cOff + batch * mn), 0f);
            return;
        }
        boolean direct = useDirect(m, n, k, FL);
        boolean tiled = !direct && (long) k * n <= F_TILED_MAX_KN;
        forUnits(batch, m, n, k, direct, F_MR, F_NR, (bi, i0, i1, j0, j1) -> {
            int aBase = (int) (aOff + bi * aBatch), bBase = (int) (bOff + bi * bBatch);
            int cBase = (int) (cOff + bi * mn);
            if (direct) {
                directF(i0, i1, n, k, a, aBase, (int) aRow, (int) aCol, b, bBase, (int) bRow, (int) bCol,
                        c, cBase);
            } else if (tiled) {
                tiledF(i0, i1, j0, j1, n, k, a, aBase, (int) aRow, (int) aCol, b, bBase, (int) bRow,
                        (int) bCol, c, cBase);
            } else {
                packedF(i0, i1, j0, j1, n, k, a, aBase, (int) aRow, (int) aCol, b, bBase, (int) bRow,
                        (int) bCol, c, cBase);
            }
        });
    }

    /** Rows [i0,i1) × columns [j0,j1) of one product through packed panels; ldc = n. */
    private static void packedF(int i0, int i1, int j0, int j1, int ldc, int k,
                                float[] a, int aBase, int aRow, int aCol,
                                float[] b, int bBase, int bRow, int bCol, float[] c, int cBase) {
        FScratch s = F_SCRATCH.get();
        int ncMax = Math.min(F_NC, roundUp(j1 - j0, F_NR));
        int mcMax = Math.min(F_MC, roundUp(i1 - i0, F_MR));
        // k in equal blocks of at most KC: 784 runs as 4 × 196, not 3 × 256 + 16, whose last
        // block would load and store the C tiles for a sixteenth of the work
        int kcMax = ceilDiv(k, ceilDiv(k, F_KC));
        if (s.b.length < kcMax * ncMax) s.b = new float[kcMax * ncMax];
        if (s.a.length < kcMax * mcMax) s.a = new float[kcMax * mcMax];
        float[] ap = s.a, bp = s.b, tile = s.tile;
        for (int jc = j0; jc < j1; jc += F_NC) {
            int nc = Math.min(F_NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean acc = pc > 0;
                packBF(kc, nc, b, bBase + pc * bRow + jc * bCol, bRow, bCol, bp);
                for (int ic = i0; ic < i1; ic += F_MC) {
                    int mc = Math.min(F_MC, i1 - ic);
                    packAF(mc, kc, a, aBase + ic * aRow + pc * aCol, aRow, aCol, ap);
                    // the pack's layout follows A's (see packAF): strides of a strip for the kernel
                    int ars = aCol == 1 ? kc : 1, acs = aCol == 1 ? 1 : F_MR;
                    for (int ir = 0; ir < mc; ir += F_MR) {
                        int mr = Math.min(F_MR, mc - ir);
                        int aIdx = ir * kc;
                        int cRow = cBase + (ic + ir) * ldc + jc;
                        for (int jr = 0; jr < nc; jr += F_NR) {
                            int nr = Math.min(F_NR, nc - jr);
                            int bIdx = jr * kc;
                            if (mr == F_MR && nr == F_NR) {
                                kernelF(kc, ap, aIdx, ars, acs, bp, bIdx, F_NR, c, cRow + jr, ldc, acc);
                            } else {
                                if (nr <= FL) {
                                    kernelF1(kc, ap, aIdx, ars, acs, bp, bIdx, F_NR, tile, 0, F_NR);
                                } else {
                                    kernelF(kc, ap, aIdx, ars, acs, bp, bIdx, F_NR, tile, 0, F_NR, false);
                                }
                                int ci = cRow + jr;
                                for (int r = 0; r < mr; r++, ci += ldc) {
                                    int t = r * F_NR;
                                    if (acc) {
                                        for (int j = 0; j < nr; j++) c[ci + j] += tile[t + j];
                                    } else {
                                        System.arraycopy(tile, t, c, ci, nr);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows [i0,i1) × columns [j0,j1) of a product whose B fits in cache, without packing: the
     * same register tiles run on A and B in place (A through its strides, B through its row
     * stride when its columns are unit-stride). Only the ragged last strips are packed, so the
     * kernel still computes whole tiles.
     */
    private static void tiledF(int i0, int i1, int j0, int j1, int ldc, int k,
                                float[] a, int aBase, int aRow, int aCol,
                                float[] b, int bBase, int bRow, int bCol, float[] c, int cBase) {
        FScratch s = F_SCRATCH.get();
        int w = j1 - j0;
        int fullW = bCol == 1 ? w / F_NR * F_NR : 0;
        int packedW = roundUp(w - fullW, F_NR);
        if (s.b.length < k * packedW) s.b = new float[k * packedW];
        if (s.a.length < k * F_MR) s.a = new float[k * F_MR];
        float[] bp = s.b, ap = s.a, tile = s.tile;
        if (packedW > 0) packBF(k, w - fullW, b, bBase + (j0 + fullW) * bCol, bRow, bCol, bp);
        for (int i = i0; i < i1; i += F_MR) {
            int mr = Math.min(F_MR, i1 - i);
            float[] as;
            int aIdx, ars, acs;
            if (mr == F_MR) {
                as = a;
                aIdx = aBase + i * aRow;
                ars = aRow;
                acs = aCol;
            } else {
                packAF(mr, k, a, aBase + i * aRow, aRow, aCol, ap);
                as = ap;
                aIdx = 0;
                ars = aCol == 1 ? k : 1;
                acs = aCol == 1 ? 1 : F_MR;
            }
            int cRow = cBase + i * ldc;
            for (int jr = 0; jr < w; jr += F_NR) {
                int nr = Math.min(F_NR, w - jr);
                float[] bs;
                int bIdx, brs;
                if (jr < fullW) {
                    bs = b;
                    bIdx = bBase + j0 + jr;
                    brs = bRow;
                } else {
                    bs = bp;
                    bIdx = (jr - fullW) * k;
                    brs = F_NR;
                }
                int ci = cRow + j0 + jr;
                if (mr == F_MR && nr == F_NR) {
                    kernelF(k, as, aIdx, ars, acs, bs, bIdx, brs, c, ci, ldc, false);
                } else {
                    if (nr <= FL) {
                        kernelF1(k, as, aIdx, ars, acs, bs, bIdx, brs, tile, 0, F_NR);
                    } else {
                        kernelF(k, as, aIdx, ars, acs, bs, bIdx, brs, tile, 0, F_NR, false);
                    }
                    for (int r = 0; r < mr; r++, ci += ldc) System.arraycopy(tile, r * F_NR, c, ci, nr);
                }
            }
        }
    }

    /**
     * Packs the kc×nc block of B at {@code base} into strips of F_NR columns:
     * {@code bp[s*kc*NR + p*NR + j] = B(p, s*NR + j)}, zero past nc.
     */
    private static void packBF(int kc, int nc, float[] b, int base, int bRow, int bCol, float[] bp) {
        int o = 0;
        for (int j0 = 0; j0 < nc; j0 += F_NR, o += kc * F_NR) {
            int w = Math.min(F_NR, nc - j0);
            int src = base + j0 * bCol;
            if (bCol == 1 && w == F_NR) {
                for (int p = 0, d = o, sp = src; p < kc; p++, d += F_NR, sp += bRow) {
                    FloatVector.fromArray(FS, b, sp).intoArray(bp, d);
                    FloatVector.fromArray(FS, b, sp + FL).intoArray(bp, d + FL);
                }
            } else if (bCol == 1) {
                for (int p = 0, d = o, sp = src; p < kc; p++, d += F_NR, sp += bRow) {
                    System.arraycopy(b, sp, bp, d, w);
                    Arrays.fill(bp, d + w, d + F_NR, 0f);
                }
            } else if (w == F_NR) {
                // strided columns (B is a transposed view, as in x @ W.mT()): where B's rows are
                // unit-stride, 16×16 blocks are transposed in registers from contiguous loads
                // (Transpose16); what remains is gathered, a row of the strip being NR elements
                // bCol apart
                int p0 = 0;
                if (bRow == 1 && Transpose16.SUPPORTED) {
                    for (; p0 + FL <= kc; p0 += FL) {
                        Transpose16.transpose(b, src + p0, bCol, bp, o + p0 * F_NR, F_NR);
                        Transpose16.transpose(b, src + FL * bCol + p0, bCol, bp, o + p0 * F_NR + FL, F_NR);
                    }
                }
                int[] idx = gatherIndex(bCol);
                int half = FL * bCol;
                for (int p = p0, d = o + p0 * F_NR, sp = src + p0 * bRow; p < kc; p++, d += F_NR, sp += bRow) {
                    FloatVector.fromArray(FS, b, sp, idx, 0).intoArray(bp, d);
                    FloatVector.fromArray(FS, b, sp + half, idx, 0).intoArray(bp, d + FL);
                }
            } else if (bRow == 1) {
                for (int j = 0; j < w; j++) {
                    int sp = src + j * bCol;
                    for (int p = 0, d = o + j; p < kc; p++, d += F_NR) bp[d] = b[sp + p];
                }
                if (w < F_NR) {
                    for (int p = 0, d = o; p < kc; p++, d += F_NR) Arrays.fill(bp, d + w, d + F_NR, 0f);
                }
            } else {
                for (int p = 0, d = o; p < kc; p++, d += F_NR) {
                    int sp = src + p * bRow;
                    for (int j = 0; j < w; j++) bp[d + j] = b[sp + j * bCol];
                    for (int j = w; j < F_NR; j++) bp[d + j] = 0f;
                }
            }
        }
    }

    /**
     * Packs the mc×kc block of A at {@code base} into strips of F_MR rows, zero past mc, in the layout
     * that copies A's memory in order: when A's rows are unit-stride, each strip holds its rows one
     * after the other ({@code ap[s*kc*MR + i*kc + p] = A(s*MR + i, p)}: a row is one arraycopy, and
     * the kernel broadcasts from MR sequential streams); otherwise (A a transposed view, its columns
     * unit-stride) column by column ({@code ap[s*kc*MR + p*MR + i]}). The kernel takes either through
     * its row and column strides, so neither layout needs a transpose.
     */
    private static void packAF(int mc, int kc, float[] a, int base, int aRow, int aCol, float[] ap) {
        int o = 0;
        for (int i0 = 0; i0 < mc; i0 += F_MR, o += kc * F_MR) {
            int h = Math.min(F_MR, mc - i0);
            int src = base + i0 * aRow;
            if (aCol == 1) {
                for (int i = 0; i < h; i++) System.arraycopy(a, src + i * aRow, ap, o + i * kc, kc);
                if (h < F_MR) Arrays.fill(ap, o + h * kc, o + F_MR * kc, 0f);
            } else {
                for (int p = 0, d = o; p < kc; p++, d += F_MR) {
                    int sp = src + p * aCol;
                    for (int i = 0; i < h; i++) ap[d + i] = a[sp + i * aRow];
                    for (int i = h; i < F_MR; i++) ap[d + i] = 0f;
                }
            }
        }
    }

    /** The 6×(1 vector) tile for a ragged last strip no wider than one vector; C as in kernelF. */
    private static void kernelF1(int kc, float[] ap, int aIdx, int ars, int acs, float[] bp, int bIdx, int brs,
                                 float[] c, int ci, int ldc) {
        int a0 = aIdx, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars;
        FloatVector c0 = FloatVector.zero(FS), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector v = FloatVector.fromArray(FS, bp, bIdx + p * brs);
            int ai = p * acs;
            c0 = FloatVector.broadcast(FS, ap[a0 + ai]).fma(v, c0);
            c1 = FloatVector.broadcast(FS, ap[a1 + ai]).fma(v, c1);
            c2 = FloatVector.broadcast(FS, ap[a2 + ai]).fma(v, c2);
            c3 = FloatVector.broadcast(FS, ap[a3 + ai]).fma(v, c3);
            c4 = FloatVector.broadcast(FS, ap[a4 + ai]).fma(v, c4);
            c5 = FloatVector.broadcast(FS, ap[a5 + ai]).fma(v, c5);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + ldc);
        c2.intoArray(c, ci + 2 * ldc);
        c3.intoArray(c, ci + 3 * ldc);
        c4.intoArray(c, ci + 4 * ldc);
        c5.intoArray(c, ci + 5 * ldc);
    }

    /**
     * The 6×(2 vectors) register tile: C[0..6)[0..NR) (+)= Σ_p ap[p*6 + i] · bp[p*NR + j] for the
     * packed strips starting at aIdx and bIdx; C at c[ci + i*ldc + j].
     */
    private static void kernelF(int kc, float[] ap, int aIdx, int ars, int acs, float[] bp, int bIdx, int brs,
                                float[] c, int ci, int ldc, boolean acc) {
        int a0 = aIdx, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars;
        FloatVector c00 = FloatVector.zero(FS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * brs;
            int ai = p * acs;
            FloatVector b0 = FloatVector.fromArray(FS, bp, bi);
            FloatVector b1 = FloatVector.fromArray(FS, bp, bi + FL);
            FloatVector x = FloatVector.broadcast(FS, ap[a0 + ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(FS, ap[a1 + ai]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(FS, ap[a2 + ai]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(FS, ap[a3 + ai]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(FS, ap[a4 + ai]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(FS, ap[a5 + ai]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        if (acc) {
            int r = ci;
            c00 = c00.add(FloatVector.fromArray(FS, c, r));
            c01 = c01.add(FloatVector.fromArray(FS, c, r + FL));
            r += ldc;
            c10 = c10.add(FloatVector.fromArray(FS, c, r));
            c11 = c11.add(FloatVector.fromArray(FS, c, r + FL));
            r += ldc;
            c20 = c20.add(FloatVector.fromArray(FS, c, r));
            c21 = c21.add(FloatVector.fromArray(FS, c, r + FL));
            r += ldc;
            c30 = c30.add(FloatVector.fromArray(FS, c, r));
            c31 = c31.add(FloatVector.fromArray(FS, c, r + FL));
            r += ldc;
            c40 = c40.add(FloatVector.fromArray(FS, c, r));
            c41 = c41.add(FloatVector.fromArray(FS, c, r + FL));
            r += ldc;
            c50 = c50.add(FloatVector.fromArray(FS, c, r));
            c51 = c51.add(FloatVector.fromArray(FS, c, r + FL));
        }
        int r = ci;
        c00.intoArray(c, r);
        c01.intoArray(c, r + FL);
        r += ldc;
        c10.intoArray(c, r);
        c11.intoArray(c, r + FL);
        r += ldc;
        c20.intoArray(c, r);
        c21.intoArray(c, r + FL);
        r += ldc;
        c30.intoArray(c, r);
        c31.intoArray(c, r + FL);
        r += ldc;
        c40.intoArray(c, r);
        c41.intoArray(c, r + FL);
        r += ldc;
        c50.intoArray(c, r);
        c51.intoArray(c, r + FL);
    }

    /**
     * Rows [i0,i1) of a small product without packing A: 4 rows × 1 vector of C in registers, A
     * read through its strides; B is first copied to a dense k×n scratch unless its rows are
     * already unit-stride.
     */
    private static void directF(int i0, int i1, int n, int k, float[] a, int aBase, int aRow, int aCol,
                                float[] b, int bBase, int bRow, int bCol, float[] c, int cBase) {
        if (bCol != 1) {
            FScratch s = F_SCRATCH.get();
            int need = k * n;
            if (s.b.length < need) s.b = new float[need];
            float[] d = s.b;
            for (int p = 0; p < k; p++) {
                int sp = bBase + p * bRow, dp = p * n;
                for (int j = 0; j < n; j++) d[dp + j] = b[sp + j * bCol];
            }
            b = d;
            bBase = 0;
            bRow = n;
        }
        int i = i0;
        for (; i + 8 <= i1; i += 8) directRowsF8(i, n, k, a, aBase, aRow, aCol, b, bBase, bRow, c, cBase);
        for (; i + 4 <= i1; i += 4) {
            int a0 = aBase + i * aRow, a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
            int c0 = cBase + i * n;
            for (int j = 0; j < n; j += FL) {
                VectorMask<Float> mask = FS.indexInRange(j, n);
                FloatVector s0 = FloatVector.zero(FS), s1 = s0, s2 = s0, s3 = s0;
                if (j + FL <= n) {
                    for (int p = 0, bp = bBase + j, ao = 0; p < k; p++, bp += bRow, ao += aCol) {
                        FloatVector v = FloatVector.fromArray(FS, b, bp);
                        s0 = FloatVector.broadcast(FS, a[a0 + ao]).fma(v, s0);
                        s1 = FloatVector.broadcast(FS, a[a1 + ao]).fma(v, s1);
                        s2 = FloatVector.broadcast(FS, a[a2 + ao]).fma(v, s2);
                        s3 = FloatVector.broadcast(FS, a[a3 + ao]).fma(v, s3);
                    }
                } else {
                    for (int p = 0, bp = bBase + j, ao = 0; p < k; p++, bp += bRow, ao += aCol) {
                        FloatVector v = FloatVector.fromArray(FS, b, bp, mask);
                        s0 = FloatVector.broadcast(FS, a[a0 + ao]).fma(v, s0);
                        s1 = FloatVector.broadcast(FS, a[a1 + ao]).fma(v, s1);
                        s2 = FloatVector.broadcast(FS, a[a2 + ao]).fma(v, s2);
                        s3 = FloatVector.broadcast(FS, a[a3 + ao]).fma(v, s3);
                    }
                }
                s0.intoArray(c, c0 + j, mask);
                s1.intoArray(c, c0 + n + j, mask);
                s2.intoArray(c, c0 + 2 * n + j, mask);
                s3.intoArray(c, c0 + 3 * n + j, mask);
            }
        }
        for (; i < i1; i++) {
            int a0 = aBase + i * aRow;
            int c0 = cBase + i * n;
            for (int j = 0; j < n; j += FL) {
                VectorMask<Float> mask = FS.indexInRange(j, n);
                FloatVector s0 = FloatVector.zero(FS);
                for (int p = 0, bp = bBase + j, ao = a0; p < k; p++, bp += bRow, ao += aCol) {
                    s0 = FloatVector.broadcast(FS, a[ao]).fma(FloatVector.fromArray(FS, b, bp, mask), s0);
                }
                s0.intoArray(c, c0 + j, mask);
            }
        }
    }

    /**
     * Rows [i, i+8) of a direct product: 8 rows × 1 (masked) vector of C, 8 independent FMA chains,
     * enough to keep both FMA pipes busy through the 4-cycle latency (4 rows leave half of them
     * idle, which is what a skinny product such as [128, 256] @ [256, 10] is made of).
     */
    private static void directRowsF8(int i, int n, int k, float[] a, int aBase, int aRow, int aCol,
                                     float[] b, int bBase, int bRow, float[] c, int cBase) {
        int a0 = aBase + i * aRow;
        int c0 = cBase + i * n;
        for (int j = 0; j < n; j += FL) {
            VectorMask<Float> mask = FS.indexInRange(j, n);
            FloatVector s0 = FloatVector.zero(FS), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int p = 0, bp = bBase + j, ao = a0; p < k; p++, bp += bRow, ao += aCol) {
                FloatVector v = FloatVector.fromArray(FS, b, bp, mask);
                s0 = FloatVector.broadcast(FS, a[ao]).fma(v, s0);
                s1 = FloatVector.broadcast(FS, a[ao + aRow]).fma(v, s1);
                s2 = FloatVector.broadcast(FS, a[ao + 2 * aRow]).fma(v, s2);
                s3 = FloatVector.broadcast(FS, a[ao + 3 * aRow]).fma(v, s3);
                s4 = FloatVector.broadcast(FS, a[ao + 4 * aRow]).fma(v, s4);
                s5 = FloatVector.broadcast(FS, a[ao + 5 * aRow]).fma(v, s5);
                s6 = FloatVector.broadcast(FS, a[ao + 6 * aRow]).fma(v, s6);
                s7 = FloatVector.broadcast(FS, a[ao + 7 * aRow]).fma(v, s7);
            }
            s0.intoArray(c, c0 + j, mask);
            s1.intoArray(c, c0 + n + j, mask);
            s2.intoArray(c, c0 + 2 * n + j, mask);
            s3.intoArray(c, c0 + 3 * n + j, mask);
            s4.intoArray(c, c0 + 4 * n + j, mask);
            s5.intoArray(c, c0 + 5 * n + j, mask);
            s6.intoArray(c, c0 + 6 * n + j, mask);
            s7.intoArray(c, c0 + 7 * n + j, mask);
        }
    }

    /** F64, in {@link DgemmKernel}: the same design with 6×(2·8) tiles. */
    static void dgemm(int batch, int m, int n, int k, double[] a, long aOff, long aBatch, long aRow, long aCol,
                      double[] b, long bOff, long bBatch, long bRow, long bCol, double[] c, long cOff) {
        DgemmKernel.dgemm(batch, m, n, k, a, aOff, aBatch, aRow, aCol, b, bOff, bBatch, bRow, bCol, c, cOff);
    }

    // ------------------------------------------------------------------------------------------
    // I32 / I64: plain loops (row of C += A(i,p) · row p of B), wrapping like Java arithmetic.
    // ------------------------------------------------------------------------------------------

    static void igemm(int batch, int m, int n, int k, int[] a, long aOff, long aBatch, long aRow, long aCol,
                      int[] b, long bOff, long bBatch, long bRow, long bCol, int[] c, long cOff) {
        if (batch <= 0 || m <= 0 || n <= 0) return;
        long mn = (long) m * n;
        forUnits(batch, m, n, k, true, 1, 1, (bi, i0, i1, j0, j1) -> {
            int aBase = (int) (aOff + bi * aBatch), bBase = (int) (bOff + bi * bBatch);
            int cBase = (int) (cOff + bi * mn);
            int ar = (int) aRow, ac = (int) aCol, br = (int) bRow, bc = (int) bCol;
            for (int i = i0; i < i1; i++) {
                int cr = cBase + i * n;
                Arrays.fill(c, cr, cr + n, 0);
                for (int p = 0; p < k; p++) {
                    int x = a[aBase + i * ar + p * ac];
                    int bp = bBase + p * br;
                    if (bc == 1) {
                        for (int j = 0; j < n; j++) c[cr + j] += x * b[bp + j];
                    } else {
                        for (int j = 0; j < n; j++) c[cr + j] += x * b[bp + j * bc];
                    }
                }
            }
        });
    }

    static void lgemm(int batch, int m, int n, int k, long[] a, long aOff, long aBatch, long aRow, long aCol,
                      long[] b, long bOff, long bBatch, long bRow, long bCol, long[] c, long cOff) {
        if (batch <= 0 || m <= 0 || n <= 0) return;
        long mn = (long) m * n;
        forUnits(batch, m, n, k, true, 1, 1, (bi, i0, i1, j0, j1) -> {
            int aBase = (int) (aOff + bi * aBatch), bBase = (int) (bOff + bi * bBatch);
            int cBase = (int) (cOff + bi * mn);
            int ar = (int) aRow, ac = (int) aCol, br = (int) bRow, bc = (int) bCol;
            for (int i = i0; i < i1; i++) {
                int cr = cBase + i * n;
                Arrays.fill(c, cr, cr + n, 0L);
                for (int p = 0; p < k; p++) {
                    long x = a[aBase + i * ar + p * ac];
                    int bp = bBase + p * br;
                    if (bc == 1) {
                        for (int j = 0; j < n; j++) c[cr + j] += x * b[bp + j];
                    } else {
                        for (int j = 0; j < n; j++) c[cr + j] += x * b[bp + j * bc];
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // Work splitting
    // ------------------------------------------------------------------------------------------

    /** One piece of work: rows [i0,i1) × columns [j0,j1) of matrix bi. */
    @FunctionalInterface
    interface Block {
        void run(long bi, int i0, int i1, int j0, int j1);
    }

    static boolean useDirect(int m, int n, int k, int lanes) {
        return (long) m * n * k <= DIRECT_MAX_MNK || k <= 4 || n <= lanes || m < 4;
    }

    /**
     * Runs body over every matrix of the batch, splitting a big matrix into one part per thread
     * (rows in multiples of mr, or columns in multiples of nr when n is the longer side and the
     * kernel is packed; the direct kernels split rows only), and the whole on the calling thread
     * when it is small.
     */
    static void forUnits(int batch, int m, int n, int k, boolean rowsOnly, int mr, int nr, Block body) {
        long flops = 2L * m * n * Math.max(k, 1);
        int threads = flops * batch >= PAR_MIN_FLOPS ? Parallel.threads() : 1;
        if (threads <= 1) {
            for (int bi = 0; bi < batch; bi++) body.run(bi, 0, m, 0, n);
            return;
        }
        int parts = 1;
        boolean byRows = rowsOnly || m >= n;
        if (flops >= SPLIT_MIN_FLOPS && batch % threads != 0) {
            int units = byRows ? ceilDiv(m, mr) : ceilDiv(n, nr);
            parts = Math.min(threads, units);
        }
        final int nParts = parts;
        final int rowStrips = ceilDiv(m, mr), colStrips = ceilDiv(n, nr);
        Parallel.forRange((long) batch * nParts, 1, (from, to) -> {
            for (long u = from; u < to; u++) {
                long bi = u / nParts;
                int part = (int) (u % nParts);
                if (nParts == 1) {
                    body.run(bi, 0, m, 0, n);
                } else if (byRows) {
                    int i0 = Math.min(m, (int) ((long) rowStrips * part / nParts) * mr);
                    int i1 = Math.min(m, (int) ((long) rowStrips * (part + 1) / nParts) * mr);
                    if (i0 < i1) body.run(bi, i0, i1, 0, n);
                } else {
                    int j0 = Math.min(n, (int) ((long) colStrips * part / nParts) * nr);
                    int j1 = Math.min(n, (int) ((long) colStrips * (part + 1) / nParts) * nr);
                    if (j0 < j1) body.run(bi, 0, m, j0, j1);
                }
            }
        });
    }

    static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    static int roundUp(int x, int y) { return ceilDiv(x, y) * y; }
}
