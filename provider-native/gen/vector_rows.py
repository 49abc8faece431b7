import os
import re
# Writes the Java source of the native kernels' Vector API loops (jdk.incubator.vector): one method per
# op and dtype, each with the op written out, so that C2 sees a constant operator and intrinsifies the
# loop. Run: python3 provider-native/gen/vector_rows.py
# The output is checked in; edit this template, not the generated file, and run it again.
T = {'F': dict(jt='float', V='FloatVector', S='F', lay='JAVA_FLOAT', suf='F32', sh=2, one='1f', zero='0f'),
     'D': dict(jt='double', V='DoubleVector', S='D', lay='JAVA_DOUBLE', suf='F64', sh=3, one='1.0', zero='0.0')}
SIG = "MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len"
USIG = "MemorySegment x, MemorySegment o, long from, long to"
out = []

# ------------------------------------------------------------------ binary rows
# name: (vector expression of x and y, scalar expression of x and y)
BIN = {'add': ('x.add(y)', 'x + y'), 'sub': ('x.sub(y)', 'x - y'), 'mul': ('x.mul(y)', 'x * y'),
       'div': ('x.div(y)', 'x / y'), 'max': ('x.max(y)', 'Math.max(x, y)'), 'min': ('x.min(y)', 'Math.min(x, y)')}
for t in 'FD':
    p = T[t]
    for n, (ve, se) in BIN.items():
        jt, V, S, lay, sh = p['jt'], p['V'], p['S'], p['lay'], p['sh']
        se_ys = re.sub(r'\by\b', 'ys', se)
        se_xs = re.sub(r'\bx\b', 'xs', se)
        def ld(seg, idx):
            return f"{V}.fromMemorySegment({S}, {seg}, ({idx}) << {sh}, NATIVE)"
        out.append(f"""    static void {n}{p['suf']}({SIG}) {{
        long i = 0;
        long bound = {S}.loopBound(len);
        if (as == 1 && bs == 1) {{
            for (; i < bound; i += {S}.length()) {{
                {V} x = {ld('a', 'ai + i')};
                {V} y = {ld('b', 'bi + i')};
                {ve}.intoMemorySegment(o, (oi + i) << {sh}, NATIVE);
            }}
            for (; i < len; i++) {{
                {jt} x = a.getAtIndex({lay}, ai + i);
                {jt} y = b.getAtIndex({lay}, bi + i);
                o.setAtIndex({lay}, oi + i, {se});
            }}
        }} else if (as == 1) {{
            {jt} ys = b.getAtIndex({lay}, bi);
            {V} y = {V}.broadcast({S}, ys);
            for (; i < bound; i += {S}.length()) {{
                {V} x = {ld('a', 'ai + i')};
                {ve}.intoMemorySegment(o, (oi + i) << {sh}, NATIVE);
            }}
            for (; i < len; i++) {{
                {jt} x = a.getAtIndex({lay}, ai + i);
                o.setAtIndex({lay}, oi + i, {se_ys});
            }}
        }} else if (bs == 1) {{
            {jt} xs = a.getAtIndex({lay}, ai);
            {V} x = {V}.broadcast({S}, xs);
            for (; i < bound; i += {S}.length()) {{
                {V} y = {ld('b', 'bi + i')};
                {ve}.intoMemorySegment(o, (oi + i) << {sh}, NATIVE);
            }}
            for (; i < len; i++) {{
                {jt} y = b.getAtIndex({lay}, bi + i);
                o.setAtIndex({lay}, oi + i, {se_xs});
            }}
        }} else {{
            BinaryRows.{n}{p['suf']}(a, ai, as, b, bi, bs, o, oi, len);
        }}
    }}
""")

# ------------------------------------------------------------------ unary loops
# name: (vector expression of v (lines allowed: the last assigns r), scalar expression of double v)
UN = {
    'neg': ('r = v.neg();', '-v'),
    'abs': ('r = v.abs();', 'Math.abs(v)'),
    'sqrt': ('r = v.sqrt();', 'Math.sqrt(v)'),
    'relu': ('r = v.blend({zero}, v.compare(VectorOperators.LE, {zero}));', 'v > 0 ? v : v == v ? 0.0 : v'),
    'exp': ('r = v.lanewise(VectorOperators.EXP);', 'Math.exp(v)'),
    'log': ('r = v.lanewise(VectorOperators.LOG);', 'Math.log(v)'),
    'tanh': ('r = v.lanewise(VectorOperators.TANH);', 'Math.tanh(v)'),
    # e^-|v| never overflows; 1/(1+e) for v >= 0, e/(1+e) below, as KernelMath.sigmoid
    'sigmoid': ('{V} e = v.abs().neg().lanewise(VectorOperators.EXP);\n'
                '                r = {V}.broadcast({S}, {one}).blend(e, v.compare(VectorOperators.LT, {zero})).div(e.add({one}));',
                'KernelMath.sigmoid(v)'),
}
for t in 'FD':
    p = T[t]
    for n, (ve, se) in UN.items():
        jt, V, S, lay, sh = p['jt'], p['V'], p['S'], p['lay'], p['sh']
        body = ve.format(**p)
        cast = '(float) ' if t == 'F' else ''
        out.append(f"""    static void {n}{p['suf']}({USIG}) {{
        long i = from;
        long bound = from + {S}.loopBound(to - from);
        for (; i < bound; i += {S}.length()) {{
            {V} v = {V}.fromMemorySegment({S}, x, i << {sh}, NATIVE);
            {V} r;
            {body}
            r.intoMemorySegment(o, i << {sh}, NATIVE);
        }}
        for (; i < to; i++) {{
            double v = x.getAtIndex({lay}, i);
            o.setAtIndex({lay}, i, {cast}({se}));
        }}
    }}
""")


# ------------------------------------------------------------------ comparisons (bool out) and where
CMP = {'eq': ('EQ', '=='), 'ne': ('NE', '!='), 'lt': ('LT', '<'), 'le': ('LE', '<='), 'gt': ('GT', '>'), 'ge': ('GE', '>=')}
for t in 'FD':
    p = T[t]
    jt, V, S, lay, sh = p['jt'], p['V'], p['S'], p['lay'], p['sh']
    def ld(seg, idx):
        return f"{V}.fromMemorySegment({S}, {seg}, ({idx}) << {sh}, NATIVE)"
    for n, (vo, so) in CMP.items():
        store = f"ByteVector.zero(BYTES_{S}).blend((byte) 1, x.compare(VectorOperators.{vo}, y).cast(BYTES_{S})).intoMemorySegment(o, oi + i, NATIVE);"
        out.append(f"""    static void {n}{p['suf']}({SIG}) {{
        long i = 0;
        long bound = {S}.loopBound(len);
        if (as == 1 && bs == 1) {{
            for (; i < bound; i += {S}.length()) {{
                {V} x = {ld('a', 'ai + i')};
                {V} y = {ld('b', 'bi + i')};
                {store}
            }}
        }} else if (as == 1 && bs == 0) {{
            {V} y = {V}.broadcast({S}, b.getAtIndex({lay}, bi));
            for (; i < bound; i += {S}.length()) {{
                {V} x = {ld('a', 'ai + i')};
                {store}
            }}
        }} else if (as == 0 && bs == 1) {{
            {V} x = {V}.broadcast({S}, a.getAtIndex({lay}, ai));
            for (; i < bound; i += {S}.length()) {{
                {V} y = {ld('b', 'bi + i')};
                {store}
            }}
        }}
        for (; i < len; i++) {{
            {jt} x = a.getAtIndex({lay}, ai + i * as);
            {jt} y = b.getAtIndex({lay}, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x {so} y ? (byte) 1 : (byte) 0);
        }}
    }}
""")
    wsel = f"VectorMask<{'Float' if t == 'F' else 'Double'}> m = ByteVector.fromMemorySegment(BYTES_{S}, c, ci + i, NATIVE).compare(VectorOperators.NE, (byte) 0).cast({S});"
    out.append(f"""    static void where{p['suf']}(MemorySegment c, long ci, MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs,
                          MemorySegment o, long oi, long len) {{
        long i = 0;
        long bound = {S}.loopBound(len);
        if (as == 1 && bs == 1) {{
            for (; i < bound; i += {S}.length()) {{
                {wsel}
                {ld('b', 'bi + i')}.blend({ld('a', 'ai + i')}, m).intoMemorySegment(o, (oi + i) << {sh}, NATIVE);
            }}
        }} else if (as == 1 && bs == 0) {{
            {V} y = {V}.broadcast({S}, b.getAtIndex({lay}, bi));
            for (; i < bound; i += {S}.length()) {{
                {wsel}
                y.blend({ld('a', 'ai + i')}, m).intoMemorySegment(o, (oi + i) << {sh}, NATIVE);
            }}
        }} else if (as == 0 && bs == 1) {{
            {V} x = {V}.broadcast({S}, a.getAtIndex({lay}, ai));
            for (; i < bound; i += {S}.length()) {{
                {wsel}
                {ld('b', 'bi + i')}.blend(x, m).intoMemorySegment(o, (oi + i) << {sh}, NATIVE);
            }}
        }}
        for (; i < len; i++) {{
            o.setAtIndex({lay}, oi + i, c.get(JAVA_BYTE, ci + i) != 0 ? a.getAtIndex({lay}, ai + i * as)
                    : b.getAtIndex({lay}, bi + i * bs));
        }}
    }}
""")

# dispatch
bd = []
for n in BIN:
    bd.append(f"            case {n.upper()} -> dtype == DType.FLOAT32 ? VectorRows::{n}F32 : VectorRows::{n}F64;")
for n in CMP:
    bd.append(f"            case {n.upper()} -> bytesFit ? (dtype == DType.FLOAT32 ? VectorRows::{n}F32 : VectorRows::{n}F64) : null;")
ud = []
for n in UN:
    ud.append(f"            case {n.upper()} -> dtype == DType.FLOAT32 ? VectorRows::{n}F32 : VectorRows::{n}F64;")

src = f"""package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.KernelMath;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 and float64 loops written with the Vector API ({{@code jdk.incubator.vector}}), used in
 * place of the plain loops of {{@link BinaryRows}} (arithmetic and comparisons), {{@link UnaryRows}},
 * {{@link Reductions}} (contiguous lanes, and rows added into an accumulator row) and {{@code where}} with a
 * walking condition, where that was measured to pay. C2 does not vectorize a plain loop reading and
 * writing different native segments (it cannot rule out aliasing); these loops load and store whole
 * vectors of {{@link FloatVector#SPECIES_PREFERRED}} (16 floats with AVX-512) and finish with a scalar tail.
 *
 * <p>Only {{@link VectorSupport}} loads this class, after checking that the module
 * {{@code jdk.incubator.vector}} is present; nothing else may name it, so that the backend keeps working
 * (on its plain loops) where the module is missing, e.g. on the class path.
 *
 * <p>Semantics: {{@code + − × ÷}}, comparisons, {{@code where}}, negation, absolute value, square root and
 * relu are exactly those of the plain loops (IEEE, lane by lane; max and min propagate NaN and order −0.0 below 0.0, as
 * {{@link Math#max}}). exp, log, tanh and sigmoid use the JDK's vector math (SVML on x86), computed in the
 * operand's precision — float32 no longer through double — to within a few ulps. Reductions
 * accumulate float32 in double lanes, so a sum's only difference from the plain loop is its order.
 *
 * <p>Generated by {{@code provider-native/gen/vector_rows.py}}; change the template and run it again
 * rather than editing this file.
 */
final class VectorRows {{
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as the doubles of {{@link #D}}: loaded and widened to double for sums. */
    private static final VectorSpecies<Float> HALF_F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** Bytes as many as the lanes of {{@link #F}} and {{@link #D}} (bool operands); null where no such shape exists. */
    private static final VectorSpecies<Byte> BYTES_F = bytes(F.length());
    private static final VectorSpecies<Byte> BYTES_D = bytes(D.length());
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private static VectorSpecies<Byte> bytes(int lanes) {{
        int bits = lanes * 8;
        return bits == 64 || bits == 128 || bits == 256 || bits == 512
                ? VectorSpecies.of(byte.class, VectorShape.forBitSize(bits)) : null;
    }}

    private VectorRows() {{
    }}

    /** Floats per vector of the preferred species. */
    static int floatLanes() {{
        return F.length();
    }}

    /** The shape of the vectors used, e.g. {{@code "512-bit"}}. */
    static String describe() {{
        return F.vectorBitSize() + "-bit, " + F.length() + " floats";
    }}

    /** The vector row of {{@code op}} on float32 or float64 operands, or null to use the plain one. */
    static BinaryRows.Row binary(BinaryOp op, DType dtype) {{
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {{
            return null;
        }}
        boolean bytesFit = (dtype == DType.FLOAT32 ? BYTES_F : BYTES_D) != null;
        return switch (op) {{
{chr(10).join(bd)}
            default -> null;
        }};
    }}

    /**
     * A row of {{@code where}} on float32 or float64 values, or null to use the plain loop: for {{@code i < len}},
     * {{@code o[oi + i] = c[ci + i] != 0 ? a[ai + i·as] : b[bi + i·bs]}}, the condition walking and the
     * steps {{@code as, bs}} 1 or 0.
     */
    static Elementwise.WhereRow where(DType dtype) {{
        if (dtype == DType.FLOAT32) {{
            return BYTES_F == null ? null : VectorRows::whereF32;
        }}
        if (dtype == DType.FLOAT64) {{
            return BYTES_D == null ? null : VectorRows::whereF64;
        }}
        return null;
    }}

    /** The vector loop of {{@code op}} on float32 or float64, or null to use the plain one. */
    static UnaryRows.Loop unary(UnaryOp op, DType dtype) {{
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {{
            return null;
        }}
        return switch (op) {{
{chr(10).join(ud)}
            default -> null;
        }};
    }}

    /**
     * Reduces {{@code n >= 1}} contiguous float32 or float64 elements from index {{@code from}}: sums in
     * double lanes, max and min lane by lane as {{@link Math#max}} and {{@link Math#min}} (NaN wins).
     */
    static double lane(ReduceOp op, DType t, MemorySegment x, long from, long n) {{
        if (t == DType.FLOAT32) {{
            return op == ReduceOp.SUM ? sumF32(x, from, n) : op == ReduceOp.MAX ? maxF32(x, from, n) : minF32(x, from, n);
        }}
        return op == ReduceOp.SUM ? sumF64(x, from, n) : op == ReduceOp.MAX ? maxF64(x, from, n) : minF64(x, from, n);
    }}

    /**
     * Adds (or maxes, or mins) {{@code len}} contiguous float32 or float64 elements from index {{@code base}}
     * into {{@code acc[0..len)}}, lane by lane in double, as {{@link Math#max}} and {{@link Math#min}} for
     * max and min: one row of a reduction over a leading axis.
     */
    static void accumulate(ReduceOp op, DType t, MemorySegment x, long base, double[] acc, int len) {{
        if (t == DType.FLOAT32) {{
            switch (op) {{
                case SUM -> accumulateSumF32(x, base, acc, len);
                case MAX -> accumulateMaxF32(x, base, acc, len);
                case MIN -> accumulateMinF32(x, base, acc, len);
            }}
        }} else {{
            switch (op) {{
                case SUM -> accumulateSumF64(x, base, acc, len);
                case MAX -> accumulateMaxF64(x, base, acc, len);
                case MIN -> accumulateMinF64(x, base, acc, len);
            }}
        }}
    }}

    private static void accumulateSumF32(MemorySegment x, long base, double[] acc, int len) {{
        int k = 0;
        int bound = D.loopBound(len);
        for (; k < bound; k += D.length()) {{
            DoubleVector.fromArray(D, acc, k).add((DoubleVector) FloatVector.fromMemorySegment(HALF_F, x, (base + k) << 2, NATIVE).convertShape(VectorOperators.F2D, D, 0)).intoArray(acc, k);
        }}
        for (; k < len; k++) {{
            acc[k] = acc[k] + x.getAtIndex(JAVA_FLOAT, base + k);
        }}
    }}

    private static void accumulateMaxF32(MemorySegment x, long base, double[] acc, int len) {{
        int k = 0;
        int bound = D.loopBound(len);
        for (; k < bound; k += D.length()) {{
            DoubleVector.fromArray(D, acc, k).max((DoubleVector) FloatVector.fromMemorySegment(HALF_F, x, (base + k) << 2, NATIVE).convertShape(VectorOperators.F2D, D, 0)).intoArray(acc, k);
        }}
        for (; k < len; k++) {{
            acc[k] = Math.max(acc[k], x.getAtIndex(JAVA_FLOAT, base + k));
        }}
    }}

    private static void accumulateMinF32(MemorySegment x, long base, double[] acc, int len) {{
        int k = 0;
        int bound = D.loopBound(len);
        for (; k < bound; k += D.length()) {{
            DoubleVector.fromArray(D, acc, k).min((DoubleVector) FloatVector.fromMemorySegment(HALF_F, x, (base + k) << 2, NATIVE).convertShape(VectorOperators.F2D, D, 0)).intoArray(acc, k);
        }}
        for (; k < len; k++) {{
            acc[k] = Math.min(acc[k], x.getAtIndex(JAVA_FLOAT, base + k));
        }}
    }}

    private static void accumulateSumF64(MemorySegment x, long base, double[] acc, int len) {{
        int k = 0;
        int bound = D.loopBound(len);
        for (; k < bound; k += D.length()) {{
            DoubleVector.fromArray(D, acc, k).add(DoubleVector.fromMemorySegment(D, x, (base + k) << 3, NATIVE)).intoArray(acc, k);
        }}
        for (; k < len; k++) {{
            acc[k] = acc[k] + x.getAtIndex(JAVA_DOUBLE, base + k);
        }}
    }}

    private static void accumulateMaxF64(MemorySegment x, long base, double[] acc, int len) {{
        int k = 0;
        int bound = D.loopBound(len);
        for (; k < bound; k += D.length()) {{
            DoubleVector.fromArray(D, acc, k).max(DoubleVector.fromMemorySegment(D, x, (base + k) << 3, NATIVE)).intoArray(acc, k);
        }}
        for (; k < len; k++) {{
            acc[k] = Math.max(acc[k], x.getAtIndex(JAVA_DOUBLE, base + k));
        }}
    }}

    private static void accumulateMinF64(MemorySegment x, long base, double[] acc, int len) {{
        int k = 0;
        int bound = D.loopBound(len);
        for (; k < bound; k += D.length()) {{
            DoubleVector.fromArray(D, acc, k).min(DoubleVector.fromMemorySegment(D, x, (base + k) << 3, NATIVE)).intoArray(acc, k);
        }}
        for (; k < len; k++) {{
            acc[k] = Math.min(acc[k], x.getAtIndex(JAVA_DOUBLE, base + k));
        }}
    }}

    private static double sumF32(MemorySegment x, long from, long n) {{
        int step = HALF_F.length();
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        long i = 0;
        for (; i + 2L * step <= n; i += 2L * step) {{
            s0 = s0.add(FloatVector.fromMemorySegment(HALF_F, x, (from + i) << 2, NATIVE)
                    .convertShape(VectorOperators.F2D, D, 0));
            s1 = s1.add(FloatVector.fromMemorySegment(HALF_F, x, (from + i + step) << 2, NATIVE)
                    .convertShape(VectorOperators.F2D, D, 0));
        }}
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {{
            s += x.getAtIndex(JAVA_FLOAT, from + i);
        }}
        return s;
    }}

    private static double sumF64(MemorySegment x, long from, long n) {{
        int step = D.length();
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        long i = 0;
        for (; i + 2L * step <= n; i += 2L * step) {{
            s0 = s0.add(DoubleVector.fromMemorySegment(D, x, (from + i) << 3, NATIVE));
            s1 = s1.add(DoubleVector.fromMemorySegment(D, x, (from + i + step) << 3, NATIVE));
        }}
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {{
            s += x.getAtIndex(JAVA_DOUBLE, from + i);
        }}
        return s;
    }}
"""
for t, jt, V, S, sh, lay in (('F32', 'float', 'FloatVector', 'F', 2, 'JAVA_FLOAT'), ('F64', 'double', 'DoubleVector', 'D', 3, 'JAVA_DOUBLE')):
    for n, op, init in (('max', 'MAX', 'NEGATIVE_INFINITY'), ('min', 'MIN', 'POSITIVE_INFINITY')):
        src += f"""
    private static double {n}{t}(MemorySegment x, long from, long n) {{
        {V} m = {V}.broadcast({S}, {jt[0].upper() + jt[1:]}.{init});
        long i = 0;
        long bound = {S}.loopBound(n);
        for (; i < bound; i += {S}.length()) {{
            m = m.{n}({V}.fromMemorySegment({S}, x, (from + i) << {sh}, NATIVE));
        }}
        // the reduction of MAX and MIN across lanes is Math.max / Math.min's: a NaN in any lane wins
        double r = m.reduceLanes(VectorOperators.{op});
        for (; i < n; i++) {{
            r = Math.{n}(r, x.getAtIndex({lay}, from + i));
        }}
        return r;
    }}
"""
src += "\n" + "\n".join(out) + "}\n"
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../src/main/java/dev/nabla/provider/nativeblas/kernels/VectorRows.java'), 'w').write(src)
