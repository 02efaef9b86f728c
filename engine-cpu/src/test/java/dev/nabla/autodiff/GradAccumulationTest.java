package dev.nabla.autodiff;

import dev.nabla.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** A leaf's grad accumulates correctly whatever layout the first gradient had. */
class GradAccumulationTest {

    @Test
    void plainBackwardAfterCreateGraphBackwardAddsIntoABroadcastGradient() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
        // sum's gradient is a stride-0 expansion of one value: adding into it in place would be wrong
        x.sum().backward(null, true);
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {3, 5, 7}, x.grad().toDoubleArray(), 0);
        x.sum().backward();
        assertArrayEquals(new double[] {4, 6, 8}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void gradOfALeafThatIsTheOutputItselfIsOnes() {
        Tensor x = Tensor.of(new double[] {5}).requiresGrad(true);
        x.backward(null, true);
        x.backward();
        assertArrayEquals(new double[] {2}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void heldGradSeesInPlaceAccumulation() {
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        x.mul(x).sum().backward();
        Tensor held = x.grad();
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {4, 8}, held.toDoubleArray(), 0);
    }
}
