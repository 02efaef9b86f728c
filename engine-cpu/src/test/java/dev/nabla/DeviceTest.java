package dev.nabla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Device value semantics, probing and the default device, on a class path that only has the CPU backend. */
class DeviceTest {

    @Test
    void cpuIsAValueObject() {
        assertEquals(Device.cpu(), Device.cpu());
        assertEquals(Device.cpu().hashCode(), Device.cpu().hashCode());
        assertEquals("cpu", Device.cpu().toString());
        assertEquals(Device.cuda(0), Device.cuda(0));
        assertEquals(Device.cuda(1).hashCode(), Device.cuda(1).hashCode());
        assertNotEquals(Device.cuda(0), Device.cuda(1));
        assertNotEquals(Device.cuda(0), Device.opencl(0));
        assertNotEquals(Device.cpu(), Device.cuda(0));
        assertNotEquals(Device.cpu(), null);
        assertNotEquals(Device.cpu(), "cpu");
    }

    @Test
    void parseReadsEverySpelling() {
        assertEquals(Device.cpu(), Device.parse("cpu"));
        assertEquals(Device.cuda(0), Device.parse("cuda:0"));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals(Device.cuda(3), Device.parse("cuda:3"));
        assertEquals(Device.opencl(1), Device.parse("opencl:1"));
    }

    @Test
    void toStringRoundTripsThroughParse() {
        for (Device d : List.of(Device.cpu(), Device.cuda(0), Device.cuda(2), Device.opencl(0), Device.opencl(1))) {
            assertEquals(d, Device.parse(d.toString()), d.toString());
        }
        assertEquals("cuda:0", Device.cuda(0).toString());
        assertEquals("opencl:1", Device.opencl(1).toString());
    }

    @Test
    void parseRejectsMalformedStrings() {
        for (String s : new String[] {"", "gpu", "cuda:", "cuda:x", "cuda:-1", "cpu:0:1", "tpu:0"}) {
            assertThrows(IllegalArgumentException.class, () -> Device.parse(s), s);
        }
    }

    @Test
    void probeListsCpuAvailableAndGpuBackendsUnavailableWithAReason() {
        List<DeviceStatus> probe = Device.probe();
        DeviceStatus cpu = probe.stream().filter(s -> s.device().equals(Device.cpu())).findFirst().orElseThrow();
        assertTrue(cpu.available(), "cpu available");
        boolean sawCuda = false, sawOpencl = false;
        for (DeviceStatus s : probe) {
            String kind = s.device().toString();
            if (kind.startsWith("cuda")) sawCuda = true;
            if (kind.startsWith("opencl")) sawOpencl = true;
            if (kind.startsWith("cuda") || kind.startsWith("opencl")) {
                assertFalse(s.available(), kind + " has no backend on this class path");
                assertNotNull(s.reason(), kind + " reason");
                assertFalse(s.reason().isBlank(), kind + " reason");
            }
        }
        assertTrue(sawCuda, "probe lists cuda: " + probe);
        assertTrue(sawOpencl, "probe lists opencl: " + probe);
    }

    @Test
    void availableIsExactlyCpuHere() {
        assertEquals(List.of(Device.cpu()), Device.available());
    }

    @Test
    void bestIsCpuWithoutGpuBackends() {
        assertEquals(Device.cpu(), Device.best());
    }

    @Test
    void defaultDeviceIsCpuAndSetDefaultRoundTrips() {
        Device before = Device.defaultDevice();
        assertEquals(Device.cpu(), before);
        try {
            Device.setDefault(Device.cpu());
            assertEquals(Device.cpu(), Device.defaultDevice());
            try (Tensor t = Tensor.zeros(2, 2)) {
                assertEquals(Device.cpu(), t.device());
            }
        } finally {
            Device.setDefault(before);
        }
        assertEquals(before, Device.defaultDevice());
    }

    @Test
    void creatingOnAnUnavailableDeviceThrowsBackendUnavailableWithTheReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Tensor.zeros(DType.F32, Device.cuda(0), 2, 2));
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().isBlank());
        assertThrows(BackendUnavailableException.class,
                () -> Tensor.of(DType.F32, Device.opencl(0), new float[] {1, 2}, 2));
    }

    @Test
    void movingToAnUnavailableDeviceThrowsBackendUnavailable() {
        try (Tensor t = Tensor.ones(3)) {
            assertThrows(BackendUnavailableException.class, () -> t.to(Device.cuda(0)));
        }
    }
}
