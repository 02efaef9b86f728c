package dev.nabla;

import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.UnaryOp;

import java.util.function.UnaryOperator;

/**
 * Backward and tangent rules of the elementwise primitives and matmul, one short entry per op,
 * written with Tensor ops so that every derivative is itself differentiable. Reductions, views and
 * index ops are in {@link StructuralRules}. Kinks follow PyTorch: relu'(0) = abs'(0) = 0, ties in
 * maximum/minimum split the gradient in half.
 */
final class Rules {
    private Rules() {}

    /** null-aware sum of two tangents or gradients. */
    static Tensor plus(Tensor a, Tensor b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.add(b);
    }

    static Tensor zerosLike(Tensor t) {
        return Creation.full(t.dtype, t.device(), 0, t.shape.clone());
    }

    /** A rule whose backward and tangent are the same linear map of g or t (neg, identity, views). */
    static Rule linear(String name, UnaryOperator<Tensor> f) {
        return new Rule(name, false, false) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) { return new Tensor[] {f.apply(g)}; }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) { return t[0] == null ? null : f.apply(t[0]); }
        };
    }

    /** A rule whose backward is the adjoint map of its tangent map. */
    static Rule linear(String name, UnaryOperator<Tensor> back, UnaryOperator<Tensor> fwd) {
        return new Rule(name, false, false) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) { return new Tensor[] {back.apply(g)}; }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) { return t[0] == null ? null : fwd.apply(t[0]); }
        };
    }

    static final Rule IDENTITY = linear("identity", g -> g);

    /** f'(x) for a pointwise f, from the input x and/or the output y. */
    @FunctionalInterface
    interface Slope {
        Tensor at(Tensor x, Tensor y);
    }

    /** g·f'(x) backward, t·f'(x) forward. */
    static Rule pointwise(String name, boolean savesIn, boolean savesOut, Slope slope) {
        return new Rule(name, savesIn, savesOut) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                return new Tensor[] {g.mul(slope.at(in == null ? null : in[0], out))};
            }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                return t[0] == null ? null : t[0].mul(slope.at(in[0], out));
            }
        };
    }

    /** Piecewise-constant ops (sign, floor): zero gradient everywhere, as PyTorch. */
    static Rule flat(String name) {
        return new Rule(name, true, false) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) { return new Tensor[] {zerosLike(in[0])}; }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) { return null; }
        };
    }

    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

    private static final Rule[] UNARY = new Rule[UnaryOp.values().length];
    private static final Rule[] BINARY = new Rule[BinaryOp.values().length];

    /** The (stateless, cached) rule of a unary primitive. */
    static Rule unary(UnaryOp op) {
        Rule r = UNARY[op.ordinal()];
        if (r == null) UNARY[op.ordinal()] = r = makeUnary(op);
        return r;
    }

    /** The (stateless, cached) rule of a binary primitive. */
    static Rule binary(BinaryOp op) {
        Rule r = BINARY[op.ordinal()];
        if (r == null) BINARY[op.ordinal()] = r = makeBinary(op);
        return r;
    }

    private static Rule makeUnary(UnaryOp op) {
        return switch (op) {
            case NEG -> linear("neg", Tensor::neg);
            case ABS -> pointwise("abs", true, false, (x, y) -> x.sign());
            case SQUARE -> pointwise("square", true, false, (x, y) -> x.mul(2.0));
            case EXP -> pointwise("exp", false, true, (x, y) -> y);
            case LOG -> pointwise("log", true, false, (x, y) -> x.reciprocal());
            case SQRT -> pointwise("sqrt", false, true, (x, y) -> y.reciprocal().mul(0.5));
            case RSQRT -> pointwise("rsqrt", false, true, (x, y) -> y.pow(3.0).mul(-0.5));
            case RECIPROCAL -> pointwise("reciprocal", false, true, (x, y) -> y.square().neg());
            case SIN -> pointwise("sin", true, false, (x, y) -> x.cos());
            case COS -> pointwise("cos", true, false, (x, y) -> x.sin().neg());
            case TANH -> pointwise("tanh", false, true, (x, y) -> y.square().neg().add(1.0));
            case SIGMOID -> pointwise("sigmoid", false, true, (x, y) -> y.mul(y.neg().add(1.0)));
            case RELU -> pointwise("relu", true, false, (x, y) -> x.gt(0.0).to(x.dtype));
            // d/dx x·Φ(x) = Φ(x) + x·φ(x)
            case GELU -> pointwise("gelu", true, false, (x, y) ->
                    x.mul(Math.sqrt(0.5)).erf().add(1.0).mul(0.5).add(x.mul(x.square().mul(-0.5).exp()).div(SQRT_2PI)));
            case SOFTPLUS -> pointwise("softplus", true, false, (x, y) -> x.sigmoid());
            case ERF -> pointwise("erf", true, false, (x, y) -> x.square().neg().exp().mul(2 / Math.sqrt(Math.PI)));
            case LOG1P -> pointwise("log1p", true, false, (x, y) -> x.add(1.0).reciprocal());
            case EXPM1 -> pointwise("expm1", false, true, (x, y) -> y.add(1.0));
            case SIGN, FLOOR, CEIL, ROUND -> flat(op.name().toLowerCase());
        };
    }

    private static Rule makeBinary(BinaryOp op) {
        return switch (op) {
            case ADD -> new Rule("add", false, false) {
                @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) { return new Tensor[] {g, g}; }
                @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) { return plus(t[0], t[1]); }
            };
            case SUB -> new Rule("sub", false, false) {
                @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                    return new Tensor[] {g, needs[1] ? g.neg() : null};
                }
                @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                    return t[1] == null ? t[0] : t[0] == null ? t[1].neg() : t[0].sub(t[1]);
                }
            };
            case MUL -> new Rule("mul", true, false) {
                @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                    return new Tensor[] {needs[0] ? g.mul(in[1]) : null, needs[1] ? g.mul(in[0]) : null};
                }
                @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                    return plus(t[0] == null ? null : t[0].mul(in[1]), t[1] == null ? null : in[0].mul(t[1]));
                }
            };
            case DIV -> new Rule("div", true, false) {
                @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                    return new Tensor[] {needs[0] ? g.div(in[1]) : null,
                            needs[1] ? g.mul(in[0]).div(in[1].square()).neg() : null};
                }
                @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                    return plus(t[0] == null ? null : t[0].div(in[1]),
                            t[1] == null ? null : t[1].mul(in[0]).div(in[1].square()).neg());
                }
            };
            case POW -> new Rule("pow", true, false) {
                @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                    return new Tensor[] {needs[0] ? g.mul(baseSlope(in[0], in[1])) : null,
                            needs[1] ? g.mul(exponentSlope(in[0], in[1])) : null};
                }
                @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                    return plus(t[0] == null ? null : t[0].mul(baseSlope(in[0], in[1])),
                            t[1] == null ? null : t[1].mul(exponentSlope(in[0], in[1])));
                }
            };
            case MAX, MIN -> new Rule(op == BinaryOp.MAX ? "maximum" : "minimum", true, false) {
                @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                    return new Tensor[] {needs[0] ? g.mul(share(in[0], in[1], op)) : null,
                            needs[1] ? g.mul(share(in[1], in[0], op)) : null};
                }
                @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                    return plus(t[0] == null ? null : t[0].mul(share(in[0], in[1], op)),
                            t[1] == null ? null : t[1].mul(share(in[1], in[0], op)));
                }
            };
            case EQ, NE, LT, LE, GT, GE -> throw new IllegalArgumentException("comparisons have no derivative rule");
        };
    }

    /** b·a^(b-1), 0 where b == 0 (so 0^0 does not make a NaN), as PyTorch. */
    private static Tensor baseSlope(Tensor a, Tensor b) {
        Tensor s = b.mul(a.pow(b.sub(1.0)));
        return Tensor.where(b.eq(0.0), zerosLike(s), s);
    }

    /** a^b·log a, 0 where a == 0 and b >= 0, as PyTorch. */
    private static Tensor exponentSlope(Tensor a, Tensor b) {
        Tensor s = a.pow(b).mul(a.log());
        return Tensor.where(a.eq(0.0).mul(b.ge(0.0)), zerosLike(s), s);
    }

    /** The share of maximum(a, b)'s (or minimum's) gradient that goes to a: 1, ½ on ties, 0. */
    private static Tensor share(Tensor a, Tensor b, BinaryOp op) {
        Tensor wins = op == BinaryOp.MAX ? a.gt(b) : a.lt(b);
        DType dt = DType.promote(a.dtype, b.dtype);
        return wins.to(dt).add(a.eq(b).to(dt).mul(0.5));
    }

    static Rule clamp(double lo, double hi) {
        return pointwise("clamp", true, false, (x, y) -> x.ge(lo).mul(x.le(hi)).to(x.dtype));
    }

    static final Rule WHERE = new Rule("where", true, false) {
        @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
            Tensor z = needs[1] || needs[2] ? zerosLike(g) : null;
            return new Tensor[] {null, needs[1] ? Tensor.where(in[0], g, z) : null, needs[2] ? Tensor.where(in[0], z, g) : null};
        }
        @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
            if (t[1] == null && t[2] == null) return null;
            Tensor a = t[1] != null ? t[1] : zerosLike(t[2]);
            Tensor b = t[2] != null ? t[2] : zerosLike(t[1]);
            return Tensor.where(in[0], a, b);
        }
    };

    /** torch.matmul's derivatives, with vector operands seen as 1-row / 1-column matrices. */
    static final Rule MATMUL = new Rule("matmul", true, false) {
        @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
            Tensor a = in[0], b = in[1];
            boolean va = a.rank() == 1, vb = b.rank() == 1;
            Tensor a2 = va ? a.unsqueeze(0) : a, b2 = vb ? b.unsqueeze(-1) : b;
            Tensor g2 = g;
            if (vb) g2 = g2.unsqueeze(-1);
            if (va) g2 = g2.unsqueeze(g2.rank() - 1);
            Tensor ga = null, gb = null;
            if (needs[0]) {
                ga = g2.matmul(b2.mT());
                if (va) ga = ga.squeeze(-2);
            }
            if (needs[1]) {
                gb = a2.mT().matmul(g2);
                if (vb) gb = gb.squeeze(-1);
            }
            return new Tensor[] {ga, gb};
        }
        @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
            return plus(t[0] == null ? null : t[0].matmul(in[1]), t[1] == null ? null : in[0].matmul(t[1]));
        }
    };

    /** A move between devices: the gradient moves back. */
    static Rule toDevice(Device from, Device to) {
        return linear("to", g -> g.to(from), t -> t.to(to));
    }

    /**
     * Softmax (or log-softmax) along dim as one op, for a backend's fused kernel; both rules use
     * the output y only. Softmax: backward y·(g − Σ g·y), tangent y·(t − Σ t·y). Log-softmax:
     * backward g − e^y·Σ g, tangent t − Σ e^y·t (sums along dim, kept as size 1).
     */
    static Rule softmax(int dim, boolean log) {
        int[] dims = {dim};
        return new Rule(log ? "logSoftmax" : "softmax", false, true) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                if (log) return new Tensor[] {g.sub(out.exp().mul(g.sum(dims, true)))};
                return new Tensor[] {out.mul(g.sub(g.mul(out).sum(dims, true)))};
            }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                if (t[0] == null) return null;
                if (log) return t[0].sub(out.exp().mul(t[0]).sum(dims, true));
                return out.mul(t[0].sub(t[0].mul(out).sum(dims, true)));
            }
        };
    }
}
