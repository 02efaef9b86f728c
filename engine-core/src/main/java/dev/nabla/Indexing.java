package dev.nabla;

import dev.nabla.spi.Layout;

/** gather, indexSelect (a gather through a broadcast index view) and scatterAdd. */
final class Indexing {
    private Indexing() {}

    private static Tensor index64(String op, Tensor x, Tensor index) {
        index.live(op);
        if (index.dtype != DType.I64 && index.dtype != DType.I32) {
            throw new DTypeMismatchException(Errors.message(op, "index must be I64 or I32", x, index));
        }
        return Elementwise.castRaw(index, DType.I64);
    }

    private static ShapeMismatchException outOfRange(String op, Tensor idx, Layout il, long pos, long size,
                                                     Tensor... operands) {
        long bad = (long) Creation.elementAt(idx.backend(), idx.buffer(), il, pos);
        return Errors.shape(op, "index " + bad + " is out of bounds for size " + size, operands);
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        x.live("gather");
        Errors.sameDevice("gather", x, index.live("gather"));
        int r = x.shape.length;
        int d = Shapes.dim("gather", x, dim, Math.max(r, 1));
        Tensor idx = index64("gather", x, index);
        try {
            if (index.shape.length != r) throw Errors.shape("gather", "index must have the input's rank", x, index);
            for (int i = 0; i < r; i++) {
                if (i != d && index.shape[i] > x.shape[i]) {
                    throw Errors.shape("gather", "index size exceeds input size in dim " + i, x, index);
                }
            }
            Tensor out = Tensor.empty(x.dtype, x.device(), index.shape.clone());
            if (out.numel() == 0) return out;
            if (r == 0) {
                // a 0-d gather reads the single element if the index is 0
                long bad = x.backend().gather(x.buffer(), reshape0(x.layout()), 0, idx.buffer(), reshape0(idx.layout()),
                        out.buffer(), Layout.contiguous(1));
                if (bad >= 0) {
                    out.close();
                    throw outOfRange("gather", idx, reshape0(idx.layout()), bad, 1, x, index);
                }
                return out;
            }
            long bad = x.backend().gather(x.buffer(), x.layout(), d, idx.buffer(), idx.layout(), out.buffer(), out.layout());
            if (bad >= 0) {
                out.close();
                throw outOfRange("gather", idx, idx.layout(), bad, x.shape[d], x, index);
            }
            return Graph.tracked(x) ? Graph.record(StructuralRules.gather(d, x.shape.clone()), out, x, index) : out;
        } finally {
            if (idx != index) idx.close();
        }
    }

    private static Layout reshape0(Layout l) {
        return new Layout(new long[] {1}, new long[] {1}, l.offset());
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        x.live("indexSelect");
        Errors.sameDevice("indexSelect", x, index.live("indexSelect"));
        if (index.shape.length > 1) throw Errors.shape("indexSelect", "index must be 1-D", x, index);
        int r = x.shape.length;
        int d = Shapes.dim("indexSelect", x, dim, Math.max(r, 1));
        Tensor idx = index64("indexSelect", x, index);
        try {
            long len = index.numel();
            long[] shape = r == 0 ? new long[0] : x.shape.clone();
            if (r > 0) shape[d] = len;
            Tensor out = Tensor.empty(x.dtype, x.device(), shape);
            if (out.numel() == 0) return out;
            Layout xl = r == 0 ? reshape0(x.layout()) : x.layout();
            long[] ish = r == 0 ? new long[] {1} : shape;
            long[] ist = new long[ish.length];
            ist[r == 0 ? 0 : d] = idx.shape.length == 0 ? 0 : idx.strides[0];
            Layout il = new Layout(ish, ist, idx.offset);
            long bad = x.backend().gather(x.buffer(), xl, r == 0 ? 0 : d, idx.buffer(), il, out.buffer(), Layout.contiguous(ish));
            if (bad >= 0) {
                out.close();
                throw outOfRange("indexSelect", idx, il, bad, r == 0 ? 1 : x.shape[d], x, index);
            }
            return Graph.tracked(x) && r > 0 ? Graph.record(StructuralRules.indexSelect(d, x.shape.clone()), out, x, index)
                    : Graph.tracked(x) ? Graph.record(Rules.IDENTITY, out, x) : out;
        } finally {
            if (idx != index) idx.close();
        }
    }

    static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src) {
        self.live("scatterAdd");
        src.live("scatterAdd");
        Errors.sameDevice("scatterAdd", self, index.live("scatterAdd"), src);
        int r = self.shape.length;
        int d = Shapes.dim("scatterAdd", self, dim, Math.max(r, 1));
        if (src.dtype != self.dtype) {
            throw new DTypeMismatchException(Errors.message("scatterAdd", "src must have self's dtype", self, index, src));
        }
        Tensor idx = index64("scatterAdd", self, index);
        try {
            if (index.shape.length != r || src.shape.length != r) {
                throw Errors.shape("scatterAdd", "self, index and src must have the same rank", self, index, src);
            }
            for (int i = 0; i < r; i++) {
                if (index.shape[i] > src.shape[i] || (i != d && index.shape[i] > self.shape[i])) {
                    throw Errors.shape("scatterAdd", "index size exceeds src or self in dim " + i, self, index, src);
                }
            }
            Tensor out = Elementwise.copyRaw(self);
            if (index.numel() == 0) return Graph.tracked(self, src) ? Graph.record(Rules.IDENTITY, out, self) : out;
            Layout ol = r == 0 ? Layout.contiguous(1) : out.layout();
            Layout il = r == 0 ? reshape0(idx.layout()) : idx.layout();
            Layout sl = r == 0 ? reshape0(src.layout()) : new Layout(index.shape.clone(), src.strides, src.offset);
            long bad = out.backend().scatterAdd(out.buffer(), ol, r == 0 ? 0 : d, idx.buffer(), il, src.buffer(), sl);
            if (bad >= 0) {
                out.close();
                throw outOfRange("scatterAdd", idx, il, bad, r == 0 ? 1 : self.shape[d], self, index, src);
            }
            return Graph.tracked(self, src) ? Graph.record(StructuralRules.scatterAdd(d, src.shape.clone()), out, self, index, src) : out;
        } finally {
            if (idx != index) idx.close();
        }
    }
}
