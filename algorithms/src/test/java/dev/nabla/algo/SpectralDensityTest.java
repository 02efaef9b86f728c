package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stochastic Lanczos quadrature: the density's mass sits at the eigenvalues in proportion to their multiplicity. */
class SpectralDensityTest {

    @Test
    void erfcMatchesTabulatedValuesToItsStatedAccuracy() {
        // erfc at 0, ±0.5, ±1, 2, 3, 5 (Abramowitz and Stegun, table 7.1, and its complement)
        double[][] table = {{0, 1}, {0.5, 0.4795001221869535}, {-0.5, 1.5204998778130465}, {1, 0.15729920705028513},
                {-1, 1.8427007929497148}, {2, 0.004677734981047266}, {3, 2.209049699858544e-05}, {5, 1.5374597944280349e-12}};
        for (double[] row : table) {
            assertEquals(row[1], SpectralDensity.erfc(row[0]), 1.2e-7 * row[1], "erfc(" + row[0] + ")");
        }
    }

    @Test
    void densityOfADiagonalMatrixHasTheMultiplicitiesAsMasses() {
        // 30 eigenvalues: -2 (6 times), 0 (15 times), 3 (9 times); a ±1 start weighs each eigenspace exactly
        double[] lambda = new double[30];
        for (int i = 0; i < 30; i++) lambda[i] = i < 6 ? -2 : i < 21 ? 0 : 3;
        double[][] a = new double[30][30];
        for (int i = 0; i < 30; i++) a[i][i] = lambda[i];
        HessianSpectrum s = HessianSpectrum.of(Problems.matrix(Problems.tensor(a, Device.cpu())),
                List.of(Tensor.zeros(DType.F64, Device.cpu(), 30)), 0);
        HessianSpectrum.Density d = s.density(10, 3, 0.05);
        assertEquals(HessianSpectrum.DEFAULT_GRID_POINTS, d.grid().length);
        assertEquals(1, d.mass(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), 1e-9, "integrates to one");
        assertEquals(6 / 30.0, d.mass(-2.5, -1.5), 1e-6);
        assertEquals(15 / 30.0, d.mass(-0.5, 0.5), 1e-6);
        assertEquals(9 / 30.0, d.mass(2.5, 3.5), 1e-6);
        assertTrue(d.grid()[0] < -2 - 4 * 0.05 && d.grid()[d.grid().length - 1] > 3 + 4 * 0.05, "the grid covers the tails");
        // the peak at 0 is the Gaussian's: height mass / (σ√(2π))
        int centre = 0;
        for (int i = 0; i < d.grid().length; i++) if (Math.abs(d.grid()[i]) < Math.abs(d.grid()[centre])) centre = i;
        assertEquals(0.5 / (0.05 * Math.sqrt(2 * Math.PI)), d.values()[centre], 0.02 * 0.5 / (0.05 * Math.sqrt(2 * Math.PI)));
    }

    @Test
    void aSigmaNarrowerThanTheBinsKeepsEveryNodesMass() {
        HessianSpectrum.Ritz run = new HessianSpectrum.Ritz(new double[] {10, 0.3, 0}, new double[] {0.25, 0.25, 0.5});
        HessianSpectrum.Density d = SpectralDensity.smooth(List.of(run), 1e-6, 50);
        assertEquals(1, d.mass(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), 1e-12);
        assertEquals(0.25, d.mass(9, 11), 1e-12);
        assertEquals(0.75, d.mass(-1, 1), 1e-12);
    }
}
