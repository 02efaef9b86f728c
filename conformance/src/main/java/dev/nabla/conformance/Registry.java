package dev.nabla.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * Every op spec of the conformance suite: elementwise, reductions, linear algebra, index ops,
 * data movement and sparse matrices (random streams are checked by the runner itself). Adding an op to the API means
 * adding its spec here.
 *
 * <pre>{@code
 * for (OpSpec s : Registry.all()) System.out.println(s.name() + " " + s.dtypes());
 * }</pre>
 */
public final class Registry {
    private Registry() {}

    public static List<OpSpec> all() {
        List<OpSpec> all = new ArrayList<>();
        all.addAll(ElementwiseSpecs.all());
        all.addAll(ReductionSpecs.all());
        all.addAll(StructureSpecs.all());
        all.addAll(SparseSpecs.all());
        return all;
    }
}
