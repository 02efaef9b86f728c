package dev.nabla.cuda;

import java.util.List;

/**
 * Compiles kernel source to a loadable image at run time: NVRTC ({@link Nvrtc}) on a real machine.
 * The backend uses it only when no bundled binary loads.
 */
interface RuntimeCompiler {

    /** "NVRTC 12.6", part of the disk cache key. */
    String version();

    /** The compiled image and whether it is PTX (else a cubin). */
    record Output(byte[] image, boolean ptx, List<String> options) {}

    /**
     * Compiles one source for a GPU of compute capability {@code cc} (e.g. 86): a cubin for it when
     * the compiler knows the architecture, else PTX for the newest one it knows. Throws
     * IllegalStateException with the compiler's log on an error.
     */
    Output compile(String source, String name, int cc);

    /** The options {@link #compile} passes for {@code cc}, without compiling (for the cache key). */
    List<String> options(int cc);
}
