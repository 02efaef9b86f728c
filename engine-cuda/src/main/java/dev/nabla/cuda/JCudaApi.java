package dev.nabla.cuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JITOptions;

import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleLoadDataJIT;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

/**
 * One GPU through JCuda's driver API: its primary context (shared with any other CUDA user in the
 * process, as the runtime API does), made current on whichever thread calls, and one stream that
 * every kernel, copy and cuBLAS call goes to. The stream is a blocking one, and host copies first
 * wait for it, so a copy never overtakes queued kernels. Return codes are checked here (JCuda's
 * exceptions stay off: they are a process-wide switch other code may rely on); callers hold the
 * device's lock.
 */
final class JCudaApi implements CudaApi {
    private static final Logger LOG = Logger.getLogger("dev.nabla.cuda");
    private static final int LOG_BYTES = 16 * 1024;
    /** CU_STREAM_DEFAULT: a blocking stream, ordered with the legacy default stream. */
    private static final int STREAM_BLOCKING = 0;

    private final CUdevice device;
    private final String label;
    private final String blasFailure;
    private CUcontext context;
    private CUstream stream;
    private CudaApi.Blas blas;
    private boolean blasTried;

    JCudaApi(CUdevice device, String label, String blasFailure) {
        this.device = device;
        this.label = label;
        this.blasFailure = blasFailure;
    }

    /** Retains the primary context and creates the stream once; makes the context current. */
    private void current() {
        if (context == null) {
            CUcontext c = new CUcontext();
            check(cuDevicePrimaryCtxRetain(c, device), "cuDevicePrimaryCtxRetain");
            check(cuCtxSetCurrent(c), "cuCtxSetCurrent");
            CUstream s = new CUstream();
            check(cuStreamCreate(s, STREAM_BLOCKING), "cuStreamCreate");
            context = c;
            stream = s;
            return;
        }
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    CUstream stream() {
        current();
        return stream;
    }

    @Override
    public Object alloc(long bytes) {
        current();
        CUdeviceptr p = new CUdeviceptr();
        int r = cuMemAlloc(p, bytes);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) return null;
        check(r, "cuMemAlloc(" + bytes + ")");
        return p;
    }

    @Override
    public void free(Object ptr) {
        current();
        check(cuMemFree((CUdeviceptr) ptr), "cuMemFree");
    }

    @Override
    public long[] memInfo() {
        current();
        long[] free = new long[1], total = new long[1];
        check(cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    @Override
    public void upload(Object hostArray, Object dst, long bytes) {
        current();
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
        check(cuMemcpyHtoD((CUdeviceptr) dst, hostPointer(hostArray), bytes), "cuMemcpyHtoD");
    }

    @Override
    public void download(Object src, long byteOffset, Object hostArray, long bytes) {
        current();
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
        check(cuMemcpyDtoH(hostPointer(hostArray), ((CUdeviceptr) src).withByteOffset(byteOffset), bytes), "cuMemcpyDtoH");
    }

    private static Pointer hostPointer(Object a) {
        return switch (a) {
            case float[] f -> Pointer.to(f);
            case double[] d -> Pointer.to(d);
            case int[] i -> Pointer.to(i);
            case long[] l -> Pointer.to(l);
            case byte[] b -> Pointer.to(b);
            default -> throw new IllegalArgumentException("cuda: no host copy for " + a.getClass().getSimpleName());
        };
    }

    @Override
    public Object loadModule(byte[] image, boolean ptx) {
        current();
        byte[] data = image;
        if (ptx && (image.length == 0 || image[image.length - 1] != 0)) {
            data = Arrays.copyOf(image, image.length + 1);   // the driver reads PTX as a C string
        }
        CUmodule m = new CUmodule();
        int r = cuModuleLoadData(m, data);
        if (r == CUresult.CUDA_SUCCESS) return m;
        // failed: load once more through the JIT options only to collect the JIT's error log
        String log;
        try {
            JITOptions jit = new JITOptions();
            jit.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, new byte[LOG_BYTES]);
            jit.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, LOG_BYTES);
            CUmodule again = new CUmodule();
            if (cuModuleLoadDataJIT(again, Pointer.to(data), jit) == CUresult.CUDA_SUCCESS) cuModuleUnload(again);
            log = jit.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
        } catch (RuntimeException e) {
            log = "(no JIT log: " + e + ")";
        }
        throw new ModuleLoadException(r, CUresult.stringFor(r), log);
    }

    @Override
    public Object function(Object module, String name) {
        current();
        CUfunction f = new CUfunction();
        check(cuModuleGetFunction(f, (CUmodule) module, name), "cuModuleGetFunction(" + name + ")");
        return f;
    }

    @Override
    public void launch(Object function, String name, long[] grid, int[] block, List<KernelArg> args) {
        current();
        NativePointerObject[] params = new NativePointerObject[args.size()];
        for (int i = 0; i < params.length; i++) params[i] = param(args.get(i));
        int r = cuLaunchKernel((CUfunction) function, (int) grid[0], (int) grid[1], (int) grid[2],
                block[0], block[1], block[2], 0, stream, Pointer.to(params), null);
        check(r, "launching " + name);
    }

    private static Pointer param(KernelArg a) {
        return switch (a) {
            case KernelArg.I32 v -> Pointer.to(new int[] {v.v()});
            case KernelArg.I64 v -> Pointer.to(new long[] {v.v()});
            case KernelArg.F32 v -> Pointer.to(new float[] {v.v()});
            case KernelArg.F64 v -> Pointer.to(new double[] {v.v()});
            case KernelArg.U8 v -> Pointer.to(new byte[] {v.v()});
            case KernelArg.Struct s -> Pointer.to(s.bytes());
            case KernelArg.Ptr p -> Pointer.to(((CUdeviceptr) p.base()).withByteOffset(p.byteOffset()));
        };
    }

    @Override
    public void synchronize() {
        current();
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    @Override
    public CudaApi.Blas blas() {
        if (!blasTried) {
            blasTried = true;
            if (blasFailure == null) {
                current();
                try {
                    blas = Cublas.create(stream, this::current);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, label + ": cuBLAS loaded but could not start (" + e.getMessage()
                            + "); matmul runs on the shared GEMM kernel");
                }
            }
        }
        return blas;
    }

    private void check(int r, String what) {
        if (r != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException(label + ": " + what + " failed: " + CUresult.stringFor(r));
        }
    }
}
