package dev.nabla.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasPointerMode;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * cuBLAS through JCuda's JCublas2 (needs {@code libcublas.so.12}): one handle per device, bound to the
 * device's stream, so its GEMMs are ordered with the kernels like every other call. Math mode is
 * cuBLAS's default, which for F32 never substitutes TF32 tensor cores (their 10-bit mantissa would
 * break the F32 tolerance the conformance suite holds every backend to).
 */
final class Cublas implements CudaApi.Blas {
    private final cublasHandle handle;
    private final String version;
    private final Runnable makeCurrent;

    private Cublas(cublasHandle handle, String version, Runnable makeCurrent) {
        this.handle = handle;
        this.version = version;
        this.makeCurrent = makeCurrent;
    }

    /** Null when JCublas2 and libcublas.so.12 load, else why not (one line). */
    static String loadFailure() {
        try {
            JCublas2.setExceptionsEnabled(false);   // runs the class's static initializer: loads the JNI library
            return null;
        } catch (LinkageError e) {
            return NativeLibs.explain(e, "JCuda's cuBLAS binding");
        } catch (RuntimeException e) {
            return "cuBLAS failed to start: " + e;
        }
    }

    /** A handle on the stream; the caller has made the device's context current. */
    static Cublas create(CUstream stream, Runnable makeCurrent) {
        cublasHandle h = new cublasHandle();
        check(JCublas2.cublasCreate(h), "cublasCreate");
        check(JCublas2.cublasSetStream(h, new cudaStream_t(stream)), "cublasSetStream");
        check(JCublas2.cublasSetMathMode(h, cublasMath.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
        check(JCublas2.cublasSetPointerMode(h, cublasPointerMode.CUBLAS_POINTER_MODE_HOST), "cublasSetPointerMode");
        int[] v = new int[1];
        check(JCublas2.cublasGetVersion(h, v), "cublasGetVersion");
        String version = "cuBLAS " + v[0] / 10000 + "." + v[0] / 100 % 100 + "." + v[0] % 100;
        return new Cublas(h, version, makeCurrent);
    }

    @Override public String version() { return version; }

    @Override
    public void gemm(boolean f64, CublasPlan p, Object x, Object y, Object c) {
        makeCurrent.run();
        int es = f64 ? 8 : 4;
        Pointer px = ((CUdeviceptr) x).withByteOffset(p.xOffset() * es);
        Pointer py = ((CUdeviceptr) y).withByteOffset(p.yOffset() * es);
        Pointer pc = (CUdeviceptr) c;
        int opX = p.transX() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opY = p.transY() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int r;
        if (f64) {
            r = JCublas2.cublasDgemmStridedBatched(handle, opX, opY, p.m(), p.n(), p.k(), Pointer.to(new double[] {1}),
                    px, p.ldX(), p.strideX(), py, p.ldY(), p.strideY(), Pointer.to(new double[] {0}),
                    pc, p.ldC(), p.strideC(), p.batch());
        } else {
            r = JCublas2.cublasSgemmStridedBatched(handle, opX, opY, p.m(), p.n(), p.k(), Pointer.to(new float[] {1}),
                    px, p.ldX(), p.strideX(), py, p.ldY(), p.strideY(), Pointer.to(new float[] {0}),
                    pc, p.ldC(), p.strideC(), p.batch());
        }
        if (r != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException((f64 ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched")
                    + " failed: " + cublasStatus.stringFor(r) + " for " + p);
        }
    }

    private static void check(int r, String call) {
        if (r != cublasStatus.CUBLAS_STATUS_SUCCESS) throw new IllegalStateException(call + " failed: " + cublasStatus.stringFor(r));
    }
}
