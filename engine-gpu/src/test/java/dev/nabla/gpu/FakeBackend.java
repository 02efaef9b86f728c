package dev.nabla.gpu;

import java.util.List;

/** A GPU backend over fake devices, for the shared layer's tests. */
final class FakeBackend extends GpuBackend<FakeDevice> {

    FakeBackend(FakeDevice... devices) {
        super(() -> new Discovered<>(List.of(devices), null));
    }

    private FakeBackend(String failure) {
        super(() -> Discovered.none(failure));
    }

    static FakeBackend unavailable(String why) {
        return new FakeBackend(why);
    }

    @Override public String kind() { return "fake"; }

    @Override protected String platformName() { return "Fake"; }
}
