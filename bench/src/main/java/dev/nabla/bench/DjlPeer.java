package dev.nabla.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The PyTorch peer every Djl*Bench measures against: the PyTorch engine on the CPU with as many
 * intra-op threads as nabla's CPU backend has (both read {@code availableProcessors()}).
 */
final class DjlPeer {
    private DjlPeer() {}

    /** A base manager on PyTorch's CPU device; the thread count is read once, when the engine starts. */
    static NDManager manager() {
        int threads = Runtime.getRuntime().availableProcessors();
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        Engine engine = Engine.getEngine("PyTorch");
        return NDManager.newBaseManager(Device.cpu(), engine.getEngineName());
    }

    /** Engine, version and thread counts, printed at setup so a run records what it measured. */
    static String describe(NDManager manager) {
        Engine engine = manager.getEngine();
        return engine.getEngineName() + " " + engine.getVersion() + ", intra-op threads " + JniUtils.getNumThreads()
                + ", inter-op threads " + JniUtils.getNumInteropThreads()
                + ", cores " + Runtime.getRuntime().availableProcessors();
    }

    /** PyTorch's version as DJL's engine jar states it (pytorch-engine.properties), or "?" outside the jar. */
    static String pytorchVersion() {
        return engineProperty("pytorch_version");
    }

    /** DJL's version, from the same file. */
    static String djlVersion() {
        return engineProperty("djl_version");
    }

    private static String engineProperty(String key) {
        try (var in = DjlPeer.class.getResourceAsStream("/pytorch-engine.properties")) {
            if (in == null) return "?";
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty(key, "?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
