package dev.nabla.kernels;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Compiled kernel binaries on disk, keyed by what determines them: the source's hash, the build
 * options, the device and the driver version. A changed kernel, another GPU or a driver update
 * therefore misses the cache and compiles afresh; nothing is ever invalidated by hand. Writes go to
 * a temporary file moved into place, so concurrent processes never read half a binary. The cache is
 * an optimization only: any I/O failure reads as a miss.
 *
 * <p>Location: {@code -Dnabla.kernel.cache=DIR}, else {@code NABLA_KERNEL_CACHE}, else
 * {@code $XDG_CACHE_HOME/nabla/kernels}, else {@code ~/.cache/nabla/kernels}.
 *
 * <pre>{@code
 * BinaryCache cache = BinaryCache.standard();
 * String key = BinaryCache.key(source, options, "pthread-skylake", "3.1+debian");
 * byte[] bin = cache.load(key);      // null on a miss
 * }</pre>
 */
public final class BinaryCache {
    private final Path dir;

    public BinaryCache(Path dir) { this.dir = dir; }

    /** The cache at the configured or default location. */
    public static BinaryCache standard() {
        String p = System.getProperty("nabla.kernel.cache", System.getenv("NABLA_KERNEL_CACHE"));
        if (p == null || p.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return new BinaryCache(base.resolve("nabla").resolve("kernels"));
        }
        return new BinaryCache(Path.of(p));
    }

    public Path dir() { return dir; }

    /** The cache key of one compilation. */
    public static String key(String source, String options, String device, String driver) {
        return KernelSource.sha256(KernelSource.sha256(source) + "\n" + options + "\n" + device + "\n" + driver);
    }

    /** The binary stored under the key, or null. */
    public byte[] load(String key) {
        Path f = dir.resolve(key + ".bin");
        try {
            return Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Stores a binary; returns false when it could not be written. */
    public boolean store(String key, byte[] binary) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.write(tmp, binary);
            try {
                Files.move(tmp, dir.resolve(key + ".bin"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(key + ".bin"), StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
