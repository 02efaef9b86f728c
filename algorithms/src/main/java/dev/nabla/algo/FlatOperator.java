package dev.nabla.algo;

import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.List;

/**
 * A {@link CurvatureOperator} seen on flat vectors (1-D, the parameters' elements one after
 * another), the form the Krylov methods iterate in. Each product's temporaries are freed before
 * it returns.
 */
record FlatOperator(CurvatureOperator operator, ParameterLayout layout, String op) {

    Tensor apply(Tensor q) {
        try (Scope s = Scope.open()) {
            List<Tensor> hv = operator.apply(layout.unflatten(q));
            layout.check(op + " (the operator's product)", hv);
            return s.keep(layout.flatten(hv));
        }
    }

    long dimension() { return layout.dimension(); }
}
