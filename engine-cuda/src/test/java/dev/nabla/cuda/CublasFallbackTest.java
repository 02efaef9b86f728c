package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.Gemm;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Which matmuls go to cuBLAS, which to the shared kernel, and the one log line when cuBLAS is missing. */
class CublasFallbackTest {

    private static final class RecordingBlas implements CudaApi.Blas {
        final List<CublasPlan> plans = new ArrayList<>();
        final List<Object> operands = new ArrayList<>();

        @Override public String version() { return "cuBLAS (recording)"; }

        @Override
        public void gemm(boolean f64, CublasPlan plan, Object x, Object y, Object c) {
            plans.add(plan);
            operands.add(x);
            operands.add(y);
        }
    }

    @Test
    void floatsGoToCublasIntegersToTheKernelAndOnlyAStridedOperandIsCopied() {
        RecordingDevices.requireBundle();
        RecordingApi api = new RecordingApi(1L << 30);
        RecordingBlas blas = new RecordingBlas();
        api.blas = blas;
        CudaBackend be = RecordingDevices.backend(api, 1L << 30);
        Buffer a = be.allocate(0, DType.F32, 64), b = be.allocate(0, DType.F32, 64), c = be.allocate(0, DType.F32, 64);
        be.matmul(new Gemm(2, 3, 4, 5, 0, 0, 1, 3, 0, 20, 4, 1), a, b, c);   // A transposed, B batched
        assertEquals(List.of(), api.launchedNames(), "no kernel: cuBLAS takes the transposed operand as it is");
        CublasPlan p = blas.plans.get(0);
        assertTrue(p.transY() && !p.transX() && p.batch() == 2 && p.strideY() == 0 && p.strideX() == 20, p.toString());
        assertEquals(List.of(((CudaBuffer) b).ptr, ((CudaBuffer) a).ptr), blas.operands, "X is B, Y is A");
        be.matmul(new Gemm(1, 3, 4, 5, 0, 0, 10, 2, 0, 0, 4, 1), a, b, c);   // A with both strides above 1
        assertEquals(List.of("copy_strided"), api.launchedNames());
        assertTrue(blas.plans.get(1).packA());
        Buffer ia = be.allocate(0, DType.I32, 64), ib = be.allocate(0, DType.I32, 64), ic = be.allocate(0, DType.I32, 64);
        be.matmul(new Gemm(1, 3, 4, 5, 0, 0, 5, 1, 0, 0, 4, 1), ia, ib, ic);
        assertEquals(List.of("copy_strided", "gemm_tiled"), api.launchedNames());
        assertEquals(2, blas.plans.size());
        assertEquals(6, be.memoryStats(0).liveBuffers(), "the packed copy was returned");
    }

    @Test
    void withoutCublasMatmulRunsTheSharedKernelAndSaysSoOnce() {
        RecordingDevices.requireBundle();
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger log = Logger.getLogger("dev.nabla.cuda");
        log.addHandler(h);
        try {
            CudaDevice.resetFallbackLog();
            RecordingApi api = new RecordingApi(1L << 30);
            CudaBackend be = RecordingDevices.backend(api, 1L << 30);
            Buffer a = be.allocate(0, DType.F64, 16), b = be.allocate(0, DType.F64, 16), c = be.allocate(0, DType.F64, 16);
            for (int i = 0; i < 3; i++) be.matmul(new Gemm(1, 4, 4, 4, 0, 0, 4, 1, 0, 0, 4, 1), a, b, c);
            assertEquals(List.of("gemm_tiled", "gemm_tiled", "gemm_tiled"), api.launchedNames());
            List<String> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage).toList();
            assertEquals(List.of("cuda:0 (recording device): cuBLAS is unavailable (libcublas.so.12 could not be loaded (test)); "
                    + "matmul runs on the shared GEMM kernel (gemm.kc)"), warnings);
        } finally {
            log.removeHandler(h);
        }
    }
}
