package dev.nabla.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.DeviceInfo;
import dev.nabla.spi.Gemm;
import dev.nabla.spi.Layout;
import dev.nabla.spi.RandomDist;
import dev.nabla.spi.UnaryOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SPI as every GPU backend gets it: devices and their failures, dtypes, host copies, buffer bookkeeping. */
class GpuBackendTest {
    private static final long MIB = 1L << 20;

    private static FakeDevice device(int index, boolean fp64) {
        return new FakeDevice(index, 64 * MIB, FakeDevice.unlimited(), fp64);
    }

    @Test
    void probeListsEveryDeviceAndAMissingIndexNamesThoseThatExist() {
        FakeBackend be = new FakeBackend(device(0, true), device(1, true));
        assertEquals(List.of(DeviceInfo.available("fake", 0, "fake device (GPU, 64 MiB)"),
                DeviceInfo.available("fake", 1, "fake device (GPU, 64 MiB)")), be.probe());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> be.allocate(2, DType.F32, 1));
        assertEquals("fake:2 does not exist; the Fake devices are: fake:0 = fake device; fake:1 = fake device;", e.getMessage());
    }

    @Test
    void withoutDevicesTheReasonIsTheProbeAndEveryUsesMessage() {
        FakeBackend be = FakeBackend.unavailable("no fake driver");
        assertEquals(List.of(DeviceInfo.unavailable("fake", 0, "no fake driver")), be.probe());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> be.supportedDTypes(0));
        assertEquals("fake:0 is unavailable: no fake driver", e.getMessage());
    }

    @Test
    void withoutFloat64F64IsUnsupportedAndDrawsThatNeedItAreRefused() {
        FakeDevice dev = device(0, false);
        FakeBackend be = new FakeBackend(dev);
        assertFalse(be.supportedDTypes(0).contains(DType.F64));
        DTypeMismatchException e = assertThrows(DTypeMismatchException.class, () -> be.allocate(0, DType.F64, 4));
        assertEquals("fake:0 (fake device): F64 is not supported by this device (no fake fp64)", e.getMessage());
        Buffer f = be.allocate(0, DType.F32, 13);
        BackendUnavailableException r = assertThrows(BackendUnavailableException.class, () -> be.random(RandomDist.NORMAL, f, 1, 2));
        assertEquals("fake:0 (fake device): normal F32 draws compute in float64, which this device lacks (no fake fp64)", r.getMessage());
        be.random(RandomDist.UNIFORM, f, 0x1_0000_0002L, 0x3_0000_0004L);
        FakeDevice.Launched l = dev.launches.getLast();
        assertEquals("random_uniform_f32", l.name());
        assertEquals("NONE", l.type());
        assertEquals(List.of(new KernelArg.I64(13), new KernelArg.I32(2), new KernelArg.I32(1), new KernelArg.I32(4),
                new KernelArg.I32(3)), l.args().subList(0, 5), "n, then seed and offset as low and high words");
        assertArrayEquals(new long[] {1}, l.grid(), "4 Philox blocks of 4 floats: one work-group");
        assertTrue(device(0, true).fp64());
        assertTrue(new FakeBackend(device(0, true)).supportedDTypes(0).contains(DType.F64));
    }

    @Test
    void hostCopiesRoundTripEveryDtypeBoolAsBytesAndFromAnOffset() {
        FakeBackend be = new FakeBackend(device(0, true));
        Buffer z = be.allocate(0, DType.BOOL, 3);
        be.copyFromHost(new boolean[] {true, false, true}, z);
        assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) be.copyToHost(z, 0, 3));
        assertEquals(3, ((GpuBuffer) z).bytes());
        Buffer d = be.allocate(0, DType.F64, 4);
        be.copyFromHost(new double[] {1, 2, 3, 4}, d);
        assertArrayEquals(new double[] {3, 4}, (double[]) be.copyToHost(d, 2, 2));
        Buffer l = be.allocate(0, DType.I64, 2);
        be.copyFromHost(new long[] {-5, 1L << 40}, l);
        assertArrayEquals(new long[] {1L << 40}, (long[]) be.copyToHost(l, 1, 1));
        assertArrayEquals(new float[0], (float[]) be.copyToHost(be.allocate(0, DType.F32, 0), 0, 0));
    }

    @Test
    void buffersAreCountedFreedOnceAndNeverLaunchedAfterwards() {
        FakeDevice dev = device(0, true);
        FakeBackend be = new FakeBackend(dev);
        Buffer a = be.allocate(0, DType.F32, 1000), out = be.allocate(0, DType.F32, 1000);
        assertEquals(2, be.memoryStats(0).liveBuffers());
        assertEquals(8192, be.memoryStats(0).allocatedBytes());
        be.free(a);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> be.free(a));
        assertEquals("fake: GpuBuffer[1000 F32 on fake:0] freed twice", twice.getMessage());
        IllegalStateException stale = assertThrows(IllegalStateException.class,
                () -> be.unary(UnaryOp.EXP, a, Layout.contiguous(1000), out));
        assertTrue(stale.getMessage().contains("unary_exp was given GpuBuffer[1000 F32 on fake:0] after it was freed"), stale.getMessage());
        assertEquals(4096, be.memoryStats(0).cachedBytes());
        be.emptyCache(0);
        assertEquals(0, be.memoryStats(0).cachedBytes());
        be.free(out);
        be.sync(0);
        assertEquals("finish", dev.mem.driverCalls.getLast());
        assertEquals(0, be.memoryStats(0).liveBuffers());
    }

    @Test
    void matmulOfNothingLaunchesNothingAndOfNoTermsFillsZeros() {
        FakeDevice dev = device(0, true);
        FakeBackend be = new FakeBackend(dev);
        Buffer a = be.allocate(0, DType.F32, 64), b = be.allocate(0, DType.F32, 64), c = be.allocate(0, DType.F32, 64);
        be.matmul(new Gemm(2, 0, 4, 3, 0, 0, 3, 1, 0, 0, 4, 1), a, b, c);
        assertEquals(List.of(), dev.launchedNames());
        be.matmul(new Gemm(2, 3, 4, 0, 0, 0, 0, 1, 0, 0, 4, 1), a, b, c);
        assertEquals(List.of("copy_fill"), dev.launchedNames());
        assertEquals(24, dev.launches.getLast().i64(0), "batch·m·n zeros");
        be.matmul(new Gemm(2, 3, 4, 5, 0, 15, 5, 1, 0, 20, 4, 1), a, b, c);
        assertEquals(List.of("copy_fill", "gemm_tiled"), dev.launchedNames());
    }
}
