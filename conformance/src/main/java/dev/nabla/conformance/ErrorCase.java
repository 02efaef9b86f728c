package dev.nabla.conformance;

import dev.nabla.Device;
import dev.nabla.NablaException;
import dev.nabla.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * Bad input and the typed exception it must raise: the operands are built on the device under
 * test, the call must throw {@code expected}, and its message must name {@code op} and describe
 * every operand as {@code [2, 3] (F32, opencl:0)}.
 */
public record ErrorCase(String label, String op, Class<? extends NablaException> expected,
                        Function<Device, List<Tensor>> operands, Function<List<Tensor>, Object> call) {}
