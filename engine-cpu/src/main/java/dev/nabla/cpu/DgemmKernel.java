package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static dev.nabla.cpu.GemmKernel.forUnits;
import static dev.nabla.cpu.GemmKernel.roundUp;
import static dev.nabla.cpu.GemmKernel.useDirect;

/**
 * The F64 GEMM: {@link GemmKernel}'s design (packing, blocking, threading described there) with its
 * own register tile, 6×(2·8) doubles, and KC = 192, NC = 384 so the packed blocks take about the
 * bytes F32's do. Not a cast of F32.
 */
final class DgemmKernel {
    private DgemmKernel() {}


    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = DS.length();
    private static final int D_MR = 6;
    private static final int D_NR = 2 * DL;
    private static final int D_KC = 192;
    private static final int D_MC = 16 * D_MR;
    private static final int D_NC = Math.max(D_NR, 384 / D_NR * D_NR);
    private static final long D_TILED_MAX_KN = 24 * 1024;

    private static final class DScratch {
        double[] a = new double[0];
        double[] b = new double[0];
        final double[] tile = new double[D_MR * D_NR];
    }

    private static final ThreadLocal<DScratch> D_SCRATCH = ThreadLocal.withInitial(DScratch::new);

    static void dgemm(int batch, int m, int n, int k, double[] a, long aOff, long aBatch, long aRow, long aCol,
                      double[] b, long bOff, long bBatch, long bRow, long bCol, double[] c, long cOff) {
        if (batch <= 0 || m <= 0 || n <= 0) return;
        long mn = (long) m * n;
        if (k <= 0) {
            Arrays.fill(c, (int) cOff, (int) (cOff + batch * mn), 0d);
            return;
        }
        boolean direct = useDirect(m, n, k, DL);
        boolean tiled = !direct && (long) k * n <= D_TILED_MAX_KN;
        forUnits(batch, m, n, k, direct, D_MR, D_NR, (bi, i0, i1, j0, j1) -> {
            int aBase = (int) (aOff + bi * aBatch), bBase = (int) (bOff + bi * bBatch);
            int cBase = (int) (cOff + bi * mn);
            if (direct) {
                directD(i0, i1, n, k, a, aBase, (int) aRow, (int) aCol, b, bBase, (int) bRow, (int) bCol,
                        c, cBase);
            } else if (tiled) {
                tiledD(i0, i1, j0, j1, n, k, a, aBase, (int) aRow, (int) aCol, b, bBase, (int) bRow,
                        (int) bCol, c, cBase);
            } else {
                packedD(i0, i1, j0, j1, n, k, a, aBase, (int) aRow, (int) aCol, b, bBase, (int) bRow,
                        (int) bCol, c, cBase);
            }
        });
    }

    private static void packedD(int i0, int i1, int j0, int j1, int ldc, int k,
                                double[] a, int aBase, int aRow, int aCol,
                                double[] b, int bBase, int bRow, int bCol, double[] c, int cBase) {
        DScratch s = D_SCRATCH.get();
        int ncMax = Math.min(D_NC, roundUp(j1 - j0, D_NR));
        int mcMax = Math.min(D_MC, roundUp(i1 - i0, D_MR));
        // k in equal blocks of at most KC: 784 runs as 4 × 196, not 3 × 256 + 16, whose last
        // block would load and store the C tiles for a sixteenth of the work
        int kcMax = GemmKernel.ceilDiv(k, GemmKernel.ceilDiv(k, D_KC));
        if (s.b.length < kcMax * ncMax) s.b = new double[kcMax * ncMax];
        if (s.a.length < kcMax * mcMax) s.a = new double[kcMax * mcMax];
        double[] ap = s.a, bp = s.b, tile = s.tile;
        for (int jc = j0; jc < j1; jc += D_NC) {
            int nc = Math.min(D_NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean acc = pc > 0;
                packBD(kc, nc, b, bBase + pc * bRow + jc * bCol, bRow, bCol, bp);
                for (int ic = i0; ic < i1; ic += D_MC) {
                    int mc = Math.min(D_MC, i1 - ic);
                    packAD(mc, kc, a, aBase + ic * aRow + pc * aCol, aRow, aCol, ap);
                    for (int ir = 0; ir < mc; ir += D_MR) {
                        int mr = Math.min(D_MR, mc - ir);
                        int aIdx = ir * kc;
                        int cRow = cBase + (ic + ir) * ldc + jc;
                        for (int jr = 0; jr < nc; jr += D_NR) {
                            int nr = Math.min(D_NR, nc - jr);
                            int bIdx = jr * kc;
                            if (mr == D_MR && nr == D_NR) {
                                kernelD(kc, ap, aIdx, 1, D_MR, bp, bIdx, D_NR, c, cRow + jr, ldc, acc);
                            } else {
                                if (nr <= DL) {
                                    kernelD1(kc, ap, aIdx, 1, D_MR, bp, bIdx, D_NR, tile, 0, D_NR);
                                } else {
                                    kernelD(kc, ap, aIdx, 1, D_MR, bp, bIdx, D_NR, tile, 0, D_NR, false);
                                }
                                int ci = cRow + jr;
                                for (int r = 0; r < mr; r++, ci += ldc) {
                                    int t = r * D_NR;
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
    private static void tiledD(int i0, int i1, int j0, int j1, int ldc, int k,
                                double[] a, int aBase, int aRow, int aCol,
                                double[] b, int bBase, int bRow, int bCol, double[] c, int cBase) {
        DScratch s = D_SCRATCH.get();
        int w = j1 - j0;
        int fullW = bCol == 1 ? w / D_NR * D_NR : 0;
        int packedW = roundUp(w - fullW, D_NR);
        if (s.b.length < k * packedW) s.b = new double[k * packedW];
        if (s.a.length < k * D_MR) s.a = new double[k * D_MR];
        double[] bp = s.b, ap = s.a, tile = s.tile;
        if (packedW > 0) packBD(k, w - fullW, b, bBase + (j0 + fullW) * bCol, bRow, bCol, bp);
        for (int i = i0; i < i1; i += D_MR) {
            int mr = Math.min(D_MR, i1 - i);
            double[] as;
            int aIdx, ars, acs;
            if (mr == D_MR) {
                as = a;
                aIdx = aBase + i * aRow;
                ars = aRow;
                acs = aCol;
            } else {
                packAD(mr, k, a, aBase + i * aRow, aRow, aCol, ap);
                as = ap;
                aIdx = 0;
                ars = 1;
                acs = D_MR;
            }
            int cRow = cBase + i * ldc;
            for (int jr = 0; jr < w; jr += D_NR) {
                int nr = Math.min(D_NR, w - jr);
                double[] bs;
                int bIdx, brs;
                if (jr < fullW) {
                    bs = b;
                    bIdx = bBase + j0 + jr;
                    brs = bRow;
                } else {
                    bs = bp;
                    bIdx = (jr - fullW) * k;
                    brs = D_NR;
                }
                int ci = cRow + j0 + jr;
                if (mr == D_MR && nr == D_NR) {
                    kernelD(k, as, aIdx, ars, acs, bs, bIdx, brs, c, ci, ldc, false);
                } else {
                    if (nr <= DL) {
                        kernelD1(k, as, aIdx, ars, acs, bs, bIdx, brs, tile, 0, D_NR);
                    } else {
                        kernelD(k, as, aIdx, ars, acs, bs, bIdx, brs, tile, 0, D_NR, false);
                    }
                    for (int r = 0; r < mr; r++, ci += ldc) System.arraycopy(tile, r * D_NR, c, ci, nr);
                }
            }
        }
    }

    private static void packBD(int kc, int nc, double[] b, int base, int bRow, int bCol, double[] bp) {
        int o = 0;
        for (int j0 = 0; j0 < nc; j0 += D_NR, o += kc * D_NR) {
            int w = Math.min(D_NR, nc - j0);
            int src = base + j0 * bCol;
            if (bCol == 1 && w == D_NR) {
                for (int p = 0, d = o, sp = src; p < kc; p++, d += D_NR, sp += bRow) {
                    DoubleVector.fromArray(DS, b, sp).intoArray(bp, d);
                    DoubleVector.fromArray(DS, b, sp + DL).intoArray(bp, d + DL);
                }
            } else if (bCol == 1) {
                for (int p = 0, d = o, sp = src; p < kc; p++, d += D_NR, sp += bRow) {
                    System.arraycopy(b, sp, bp, d, w);
                    Arrays.fill(bp, d + w, d + D_NR, 0d);
                }
            } else if (bRow == 1) {
                for (int j = 0; j < w; j++) {
                    int sp = src + j * bCol;
                    for (int p = 0, d = o + j; p < kc; p++, d += D_NR) bp[d] = b[sp + p];
                }
                if (w < D_NR) {
                    for (int p = 0, d = o; p < kc; p++, d += D_NR) Arrays.fill(bp, d + w, d + D_NR, 0d);
                }
            } else {
                for (int p = 0, d = o; p < kc; p++, d += D_NR) {
                    int sp = src + p * bRow;
                    for (int j = 0; j < w; j++) bp[d + j] = b[sp + j * bCol];
                    for (int j = w; j < D_NR; j++) bp[d + j] = 0d;
                }
            }
        }
    }

    private static void packAD(int mc, int kc, double[] a, int base, int aRow, int aCol, double[] ap) {
        int o = 0;
        for (int i0 = 0; i0 < mc; i0 += D_MR, o += kc * D_MR) {
            int h = Math.min(D_MR, mc - i0);
            int src = base + i0 * aRow;
            if (h == D_MR && aCol == 1) {
                int s0 = src, s1 = s0 + aRow, s2 = s1 + aRow, s3 = s2 + aRow, s4 = s3 + aRow, s5 = s4 + aRow;
                for (int p = 0, d = o; p < kc; p++, d += D_MR) {
                    ap[d] = a[s0 + p];
                    ap[d + 1] = a[s1 + p];
                    ap[d + 2] = a[s2 + p];
                    ap[d + 3] = a[s3 + p];
                    ap[d + 4] = a[s4 + p];
                    ap[d + 5] = a[s5 + p];
                }
            } else if (aCol == 1) {
                for (int i = 0; i < h; i++) {
                    int sp = src + i * aRow;
                    for (int p = 0, d = o + i; p < kc; p++, d += D_MR) ap[d] = a[sp + p];
                }
                for (int p = 0, d = o; p < kc; p++, d += D_MR) Arrays.fill(ap, d + h, d + D_MR, 0d);
            } else {
                for (int p = 0, d = o; p < kc; p++, d += D_MR) {
                    int sp = src + p * aCol;
                    for (int i = 0; i < h; i++) ap[d + i] = a[sp + i * aRow];
                    for (int i = h; i < D_MR; i++) ap[d + i] = 0d;
                }
            }
        }
    }

    /** The 6×(1 vector) tile for a ragged last strip no wider than one vector; C as in kernelD. */
    private static void kernelD1(int kc, double[] ap, int aIdx, int ars, int acs, double[] bp, int bIdx, int brs,
                                 double[] c, int ci, int ldc) {
        int a0 = aIdx, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars;
        DoubleVector c0 = DoubleVector.zero(DS), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int p = 0; p < kc; p++) {
            DoubleVector v = DoubleVector.fromArray(DS, bp, bIdx + p * brs);
            int ai = p * acs;
            c0 = DoubleVector.broadcast(DS, ap[a0 + ai]).fma(v, c0);
            c1 = DoubleVector.broadcast(DS, ap[a1 + ai]).fma(v, c1);
            c2 = DoubleVector.broadcast(DS, ap[a2 + ai]).fma(v, c2);
            c3 = DoubleVector.broadcast(DS, ap[a3 + ai]).fma(v, c3);
            c4 = DoubleVector.broadcast(DS, ap[a4 + ai]).fma(v, c4);
            c5 = DoubleVector.broadcast(DS, ap[a5 + ai]).fma(v, c5);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + ldc);
        c2.intoArray(c, ci + 2 * ldc);
        c3.intoArray(c, ci + 3 * ldc);
        c4.intoArray(c, ci + 4 * ldc);
        c5.intoArray(c, ci + 5 * ldc);
    }

    private static void kernelD(int kc, double[] ap, int aIdx, int ars, int acs, double[] bp, int bIdx, int brs,
                                double[] c, int ci, int ldc, boolean acc) {
        int a0 = aIdx, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars;
        DoubleVector c00 = DoubleVector.zero(DS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * brs;
            int ai = p * acs;
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(DS, bp, bi + DL);
            DoubleVector x = DoubleVector.broadcast(DS, ap[a0 + ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(DS, ap[a1 + ai]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(DS, ap[a2 + ai]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(DS, ap[a3 + ai]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(DS, ap[a4 + ai]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(DS, ap[a5 + ai]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        if (acc) {
            int r = ci;
            c00 = c00.add(DoubleVector.fromArray(DS, c, r));
            c01 = c01.add(DoubleVector.fromArray(DS, c, r + DL));
            r += ldc;
            c10 = c10.add(DoubleVector.fromArray(DS, c, r));
            c11 = c11.add(DoubleVector.fromArray(DS, c, r + DL));
            r += ldc;
            c20 = c20.add(DoubleVector.fromArray(DS, c, r));
            c21 = c21.add(DoubleVector.fromArray(DS, c, r + DL));
            r += ldc;
            c30 = c30.add(DoubleVector.fromArray(DS, c, r));
            c31 = c31.add(DoubleVector.fromArray(DS, c, r + DL));
            r += ldc;
            c40 = c40.add(DoubleVector.fromArray(DS, c, r));
            c41 = c41.add(DoubleVector.fromArray(DS, c, r + DL));
            r += ldc;
            c50 = c50.add(DoubleVector.fromArray(DS, c, r));
            c51 = c51.add(DoubleVector.fromArray(DS, c, r + DL));
        }
        int r = ci;
        c00.intoArray(c, r);
        c01.intoArray(c, r + DL);
        r += ldc;
        c10.intoArray(c, r);
        c11.intoArray(c, r + DL);
        r += ldc;
        c20.intoArray(c, r);
        c21.intoArray(c, r + DL);
        r += ldc;
        c30.intoArray(c, r);
        c31.intoArray(c, r + DL);
        r += ldc;
        c40.intoArray(c, r);
        c41.intoArray(c, r + DL);
        r += ldc;
        c50.intoArray(c, r);
        c51.intoArray(c, r + DL);
    }

    private static void directD(int i0, int i1, int n, int k, double[] a, int aBase, int aRow, int aCol,
                                double[] b, int bBase, int bRow, int bCol, double[] c, int cBase) {
        if (bCol != 1) {
            DScratch s = D_SCRATCH.get();
            int need = k * n;
            if (s.b.length < need) s.b = new double[need];
            double[] d = s.b;
            for (int p = 0; p < k; p++) {
                int sp = bBase + p * bRow, dp = p * n;
                for (int j = 0; j < n; j++) d[dp + j] = b[sp + j * bCol];
            }
            b = d;
            bBase = 0;
            bRow = n;
        }
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int a0 = aBase + i * aRow, a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
            int c0 = cBase + i * n;
            for (int j = 0; j < n; j += DL) {
                VectorMask<Double> mask = DS.indexInRange(j, n);
                DoubleVector s0 = DoubleVector.zero(DS), s1 = s0, s2 = s0, s3 = s0;
                if (j + DL <= n) {
                    for (int p = 0, bp = bBase + j, ao = 0; p < k; p++, bp += bRow, ao += aCol) {
                        DoubleVector v = DoubleVector.fromArray(DS, b, bp);
                        s0 = DoubleVector.broadcast(DS, a[a0 + ao]).fma(v, s0);
                        s1 = DoubleVector.broadcast(DS, a[a1 + ao]).fma(v, s1);
                        s2 = DoubleVector.broadcast(DS, a[a2 + ao]).fma(v, s2);
                        s3 = DoubleVector.broadcast(DS, a[a3 + ao]).fma(v, s3);
                    }
                } else {
                    for (int p = 0, bp = bBase + j, ao = 0; p < k; p++, bp += bRow, ao += aCol) {
                        DoubleVector v = DoubleVector.fromArray(DS, b, bp, mask);
                        s0 = DoubleVector.broadcast(DS, a[a0 + ao]).fma(v, s0);
                        s1 = DoubleVector.broadcast(DS, a[a1 + ao]).fma(v, s1);
                        s2 = DoubleVector.broadcast(DS, a[a2 + ao]).fma(v, s2);
                        s3 = DoubleVector.broadcast(DS, a[a3 + ao]).fma(v, s3);
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
            for (int j = 0; j < n; j += DL) {
                VectorMask<Double> mask = DS.indexInRange(j, n);
                DoubleVector s0 = DoubleVector.zero(DS);
                for (int p = 0, bp = bBase + j, ao = a0; p < k; p++, bp += bRow, ao += aCol) {
                    s0 = DoubleVector.broadcast(DS, a[ao]).fma(DoubleVector.fromArray(DS, b, bp, mask), s0);
                }
                s0.intoArray(c, c0 + j, mask);
            }
        }
    }

}
