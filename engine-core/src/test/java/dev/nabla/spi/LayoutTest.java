package dev.nabla.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayoutTest {

    @Test
    void contiguousStridesAreRowMajor() {
        Layout l = Layout.contiguous(2, 3, 4);
        assertArrayEquals(new long[] {12, 4, 1}, l.strides());
        assertEquals(24, l.numel());
        assertTrue(l.isContiguous());
    }

    @Test
    void permutedLayoutIsNotContiguousButSizeOneDimsDoNotMatter() {
        Layout l = Layout.contiguous(2, 3);
        assertFalse(l.permute(1, 0).isContiguous());
        assertTrue(new Layout(new long[] {1, 3}, new long[] {99, 1}, 5).isContiguous());
        assertTrue(new Layout(new long[] {0, 3}, new long[] {7, 7}, 0).isContiguous());
    }

    @Test
    void coalesceMergesDimsContiguousInEveryOperand() {
        Layout a = Layout.contiguous(2, 3, 4);
        Layout b = new Layout(new long[] {2, 3, 4}, new long[] {0, 4, 1}, 0);   // broadcast over dim 0
        Layout[] c = Layout.coalesce(a, b);
        assertArrayEquals(new long[] {2, 12}, c[0].shape());
        assertArrayEquals(new long[] {12, 1}, c[0].strides());
        assertArrayEquals(new long[] {0, 1}, c[1].strides());
    }

    @Test
    void coalesceDropsSizeOneDimsAndKeepsOffsets() {
        Layout a = new Layout(new long[] {1, 5, 1}, new long[] {100, 2, 100}, 7);
        Layout[] c = Layout.coalesce(a);
        assertArrayEquals(new long[] {5}, c[0].shape());
        assertArrayEquals(new long[] {2}, c[0].strides());
        assertEquals(7, c[0].offset());
    }

    @Test
    void coalesceOfZeroDimLayoutIsZeroDim() {
        Layout[] c = Layout.coalesce(new Layout(new long[0], new long[0], 3));
        assertEquals(0, c[0].rank());
        assertEquals(1, c[0].numel());
    }
}
