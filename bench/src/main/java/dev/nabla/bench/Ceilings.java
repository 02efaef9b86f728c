package dev.nabla.bench;

/**
 * The machine's ceilings from {@link CeilingBench}, in GFLOP/s and GB/s, and the floor they put
 * under any piece of work: the larger of its flops over the peak FMA rate and its bytes over the
 * copy bandwidth (DESIGN.md, performance method). Null fields when CeilingBench did not run.
 */
record Ceilings(Timing peakCore, Timing peakAll, Timing copyOne, Timing copyAll, Timing copyStores) {

    static Ceilings of(Results r) {
        double flops = CeilingBench.fmaFlopsPerCall() / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        double bytes = 8.0 * BandwidthBench.ELEMENTS / 1e9;
        Timing fma = r.get("CeilingBench.fma");
        Timing fmaAll = r.get("CeilingBench.fmaAllCores");
        Timing copy = r.get("CeilingBench.copy");
        Timing copyAll = r.get("CeilingBench.copyAllCores");
        Timing stores = r.get("CeilingBench.copyStoresAllCores");
        return new Ceilings(fma == null ? null : fma.rate(flops),
                // JMH reports the average time per call of each of the `cores` threads
                fmaAll == null ? null : fmaAll.rate(flops * cores),
                copy == null ? null : copy.rate(bytes),
                copyAll == null ? null : copyAll.rate(bytes),
                stores == null ? null : stores.rate(bytes));
    }

    boolean known() {
        return peakAll != null && copyBandwidth() > 0;
    }

    /** The best copy bandwidth measured (GB/s): one thread or all cores, whichever moved more. */
    double copyBandwidth() {
        double a = copyOne == null ? 0 : copyOne.seconds();
        double b = copyAll == null ? 0 : copyAll.seconds();
        return Math.max(a, b);
    }

    /** The floor for work of {@code gflop} 10⁹ flops and {@code gbytes} 10⁹ bytes, in seconds. */
    double floorSeconds(double gflop, double gbytes) {
        return Math.max(gflop / peakAll.seconds(), gbytes / copyBandwidth());
    }

    /** The floor's time over the measured time: 1 means the work ran at the machine's ceiling. */
    double fractionOfFloor(Timing measured, double gflop, double gbytes) {
        if (!known() || measured == null) return Double.NaN;
        return floorSeconds(gflop, gbytes) / measured.seconds();
    }

    String section() {
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder md = new StringBuilder("## Machine ceilings\n\n");
        md.append("Measured in the same run by `CeilingBench`, no engine involved. Peak: 12 independent chains of ")
          .append("Vector API FMAs on registers (").append(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length())
          .append(" F32 lanes), on one core and on every core at once. Copy: `System.arraycopy` between two ")
          .append("64 MiB float arrays (8 bytes moved per element), from one thread and from ").append(cores)
          .append(" threads each copying a share. Every figure below is also given as a fraction of its floor: ")
          .append("the larger of flops / peak (all cores) and bytes / copy bandwidth (the better of the two copies), ")
          .append("over the measured time.\n\n");
        md.append("| Ceiling | Value |\n|---|---:|\n");
        md.append("| F32 FMA peak, one core | ").append(Fmt.value(peakCore)).append(" GFLOP/s |\n");
        md.append("| F32 FMA peak, ").append(cores).append(" cores | ").append(Fmt.value(peakAll)).append(" GFLOP/s |\n");
        md.append("| copy bandwidth, one thread | ").append(Fmt.value(copyOne)).append(" GB/s |\n");
        md.append("| copy bandwidth, ").append(cores).append(" threads | ").append(Fmt.value(copyAll)).append(" GB/s |\n");
        md.append("| copy as a Vector API loop (ordinary stores), ").append(cores).append(" threads | ")
          .append(Fmt.value(copyStores)).append(" GB/s |\n");
        md.append("\nThe last row is the copy a JIT-compiled kernel can do: Java has no streaming store, so every ")
          .append("written cache line is first read (write-allocate) and this copy moves 12 bytes per element for ")
          .append("the 8 it is credited with. `System.arraycopy` runs a JVM stub that can do better; the targets use ")
          .append("the better of its two rows as the machine's copy bandwidth.\n");
        return md.toString();
    }
}
