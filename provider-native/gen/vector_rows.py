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
# name: (vector expression of v (lines allowed: the last assigns r), scalar expression of v, typed):
# typed scalars take v in the operand's type (LaneMath's formulas, the same as the vector body's), the
# others take double v and round the result (exact ops, so the same as in the operand's type)
UN = {
    'neg': ('r = v.neg();', '-v', False),
    'abs': ('r = v.abs();', 'Math.abs(v)', False),
    'sqrt': ('r = v.sqrt();', 'Math.sqrt(v)', False),
    'relu': ('r = v.blend({zero}, v.compare(VectorOperators.LE, {zero}));', 'v > 0 ? v : v == v ? 0.0 : v', False),
    'exp': ('r = exp{S}(v);', 'LaneMath.exp(v)', True),
    'log': ('r = log{S}(v);', 'LaneMath.log(v)', True),
    'tanh': ('r = tanh{S}(v);', 'LaneMath.tanh(v)', True),
    'sigmoid': ('r = sigmoid{S}(v);', 'LaneMath.sigmoid(v)', True),
}
for t in 'FD':
    p = T[t]
    for n, (ve, se, typed) in UN.items():
        jt, V, S, lay, sh = p['jt'], p['V'], p['S'], p['lay'], p['sh']
        body = ve.format(**p)
        cast = '' if typed or t == 'D' else '(float) '
        vt = jt if typed else 'double'
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
            {vt} v = x.getAtIndex({lay}, i);
            o.setAtIndex({lay}, i, {cast}({se}));
        }}
    }}
""")

# ------------------------------------------------------------------ exp, log, tanh, sigmoid on whole vectors
# The formulas of LaneMath, operation for operation (its scalar methods are these loops' tails): only
# operations IEEE rounds exactly, so the Java fallback and the C2 intrinsics give the same bits.
VMATH = r"""
    // ------------------------------------------------------------------ LaneMath's formulas on whole vectors

    private static FloatVector expF(FloatVector x) {
        VectorMask<Float> nan = x.test(VectorOperators.IS_NAN);
        FloatVector xc = x.blend(0f, nan).max(LaneMath.EXP_LO_F).min(LaneMath.EXP_HI_F);
        FloatVector t = xc.mul(LaneMath.LOG2E_F).add(LaneMath.SHIFTER_F);
        FloatVector kf = t.sub(LaneMath.SHIFTER_F);
        IntVector k = t.reinterpretAsInts().sub(LaneMath.SHIFTER_F_BITS);
        FloatVector r = kf.lanewise(VectorOperators.FMA, -LaneMath.LN2_HI_F, xc);
        r = kf.lanewise(VectorOperators.FMA, -LaneMath.LN2_LO_F, r);
        FloatVector p = r.fma(LaneMath.EXP_P0_F, LaneMath.EXP_P1_F);
        p = p.fma(r, FloatVector.broadcast(F, LaneMath.EXP_P2_F));
        p = p.fma(r, FloatVector.broadcast(F, LaneMath.EXP_P3_F));
        p = p.fma(r, FloatVector.broadcast(F, LaneMath.EXP_P4_F));
        p = p.fma(r, FloatVector.broadcast(F, LaneMath.EXP_P5_F));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2).blend(Float.NaN, nan);
    }

    private static DoubleVector expD(DoubleVector x) {
        VectorMask<Double> nan = x.test(VectorOperators.IS_NAN);
        DoubleVector xc = x.blend(0.0, nan).max(LaneMath.EXP_LO_D).min(LaneMath.EXP_HI_D);
        DoubleVector t = xc.mul(LaneMath.LOG2E_D).add(LaneMath.SHIFTER_D);
        DoubleVector kd = t.sub(LaneMath.SHIFTER_D);
        LongVector k = t.reinterpretAsLongs().sub(LaneMath.SHIFTER_D_BITS);
        DoubleVector r = kd.lanewise(VectorOperators.FMA, -LaneMath.LN2_HI_D, xc);
        r = kd.lanewise(VectorOperators.FMA, -LaneMath.LN2_LO_D, r);
        DoubleVector p = r.fma(LaneMath.EXP_C13, LaneMath.EXP_C12);
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C11));
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C10));
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C9));
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C8));
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C7));
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C6));
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C5));
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C4));
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C3));
        p = p.fma(r, DoubleVector.broadcast(D, LaneMath.EXP_C2));
        DoubleVector y = p.fma(r.mul(r), r).add(1.0);
        LongVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        LongVector k2 = k.sub(k1);
        DoubleVector s1 = k1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = k2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return y.mul(s1).mul(s2).blend(Double.NaN, nan);
    }

    private static FloatVector logF(FloatVector x) {
        VectorMask<Float> sub = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(LaneMath.SUBNORMAL_SCALE_F), sub);
        FloatVector adj = FloatVector.zero(F).blend(-25f, sub);
        IntVector ix = xs.reinterpretAsInts().add(0x3f800000 - LaneMath.SQRT_HALF_F_BITS);
        IntVector k = ix.lanewise(VectorOperators.LSHR, 23).sub(0x7f);
        FloatVector m = ix.and(0x007fffff).add(LaneMath.SQRT_HALF_F_BITS).reinterpretAsFloats();
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector w = z.mul(z);
        FloatVector t1 = w.mul(w.mul(LaneMath.LG4_F).add(LaneMath.LG2_F));
        FloatVector t2 = z.mul(w.mul(LaneMath.LG3_F).add(LaneMath.LG1_F));
        FloatVector rr = t2.add(t1);
        FloatVector hfsq = f.mul(0.5f).mul(f);
        FloatVector dk = ((FloatVector) k.convert(VectorOperators.I2F, 0)).add(adj);
        FloatVector r = s.mul(hfsq.add(rr)).add(dk.mul(LaneMath.LOG_LN2_LO_F)).sub(hfsq).add(f)
                .add(dk.mul(LaneMath.LOG_LN2_HI_F));
        r = r.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        return r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.test(VectorOperators.IS_NAN)));
    }

    private static DoubleVector logD(DoubleVector x) {
        VectorMask<Double> sub = x.compare(VectorOperators.LT, Double.MIN_NORMAL);
        DoubleVector xs = x.blend(x.mul(LaneMath.SUBNORMAL_SCALE_D), sub);
        DoubleVector adj = DoubleVector.zero(D).blend(-54.0, sub);
        LongVector ix = xs.reinterpretAsLongs().add(0x3ff0000000000000L - LaneMath.SQRT_HALF_D_BITS);
        LongVector k = ix.lanewise(VectorOperators.LSHR, 52).sub(0x3ff);
        DoubleVector m = ix.and(0x000fffffffffffffL).add(LaneMath.SQRT_HALF_D_BITS).reinterpretAsDoubles();
        DoubleVector f = m.sub(1.0);
        DoubleVector hfsq = f.mul(0.5).mul(f);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector w = z.mul(z);
        DoubleVector t1 = w.mul(w.mul(w.mul(LaneMath.LG6).add(LaneMath.LG4)).add(LaneMath.LG2));
        DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(LaneMath.LG7).add(LaneMath.LG5)).add(LaneMath.LG3)).add(LaneMath.LG1));
        DoubleVector rr = t2.add(t1);
        DoubleVector dk = ((DoubleVector) k.convert(VectorOperators.L2D, 0)).add(adj);
        DoubleVector r = s.mul(hfsq.add(rr)).add(dk.mul(LaneMath.LN2_LO_D)).sub(hfsq).add(f)
                .add(dk.mul(LaneMath.LN2_HI_D));
        r = r.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
        r = r.blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0.0));
        return r.blend(Double.NaN, x.compare(VectorOperators.LT, 0.0).or(x.test(VectorOperators.IS_NAN)));
    }

    private static FloatVector tanhF(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = a.mul(a);
        FloatVector p = z.fma(LaneMath.TANH_P0_F, LaneMath.TANH_P1_F);
        p = p.fma(z, FloatVector.broadcast(F, LaneMath.TANH_P2_F));
        p = p.fma(z, FloatVector.broadcast(F, LaneMath.TANH_P3_F));
        p = p.fma(z, FloatVector.broadcast(F, LaneMath.TANH_P4_F));
        FloatVector small = p.fma(a.mul(z), a);
        FloatVector e = expF(a.mul(-2f));
        FloatVector large = FloatVector.broadcast(F, 1f).sub(e).div(e.add(1f));
        FloatVector r = large.blend(small, a.compare(VectorOperators.LT, LaneMath.TANH_SMALL_F));
        r = r.reinterpretAsInts().or(x.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats();
        return r.blend(Float.NaN, x.test(VectorOperators.IS_NAN));
    }

    private static DoubleVector tanhD(DoubleVector x) {
        DoubleVector a = x.abs();
        DoubleVector z = a.mul(a);
        DoubleVector p = z.fma(LaneMath.TANH_P0, LaneMath.TANH_P1);
        p = p.fma(z, DoubleVector.broadcast(D, LaneMath.TANH_P2));
        DoubleVector q = z.add(LaneMath.TANH_Q0);
        q = q.fma(z, DoubleVector.broadcast(D, LaneMath.TANH_Q1));
        q = q.fma(z, DoubleVector.broadcast(D, LaneMath.TANH_Q2));
        DoubleVector small = a.mul(z).fma(p.div(q), a);
        DoubleVector e = expD(a.mul(-2.0));
        DoubleVector large = DoubleVector.broadcast(D, 1.0).sub(e).div(e.add(1.0));
        DoubleVector r = large.blend(small, a.compare(VectorOperators.LT, LaneMath.TANH_SMALL_D));
        r = r.reinterpretAsLongs().or(x.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles();
        return r.blend(Double.NaN, x.test(VectorOperators.IS_NAN));
    }

    private static FloatVector sigmoidF(FloatVector x) {
        FloatVector e = expF(x.abs().neg());
        FloatVector r = FloatVector.broadcast(F, 1f).blend(e, x.compare(VectorOperators.LT, 0f)).div(e.add(1f));
        return r.blend(Float.NaN, x.test(VectorOperators.IS_NAN));
    }

    private static DoubleVector sigmoidD(DoubleVector x) {
        DoubleVector e = expD(x.abs().neg());
        DoubleVector r = DoubleVector.broadcast(D, 1.0).blend(e, x.compare(VectorOperators.LT, 0.0)).div(e.add(1.0));
        return r.blend(Double.NaN, x.test(VectorOperators.IS_NAN));
    }
"""


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
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
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
 * {{@link Math#max}}). exp, log, tanh and sigmoid are {{@link LaneMath}}'s formulas, computed in the operand's
 * precision (float32 in float) from exactly rounded operations only, within 1 ulp (exp, log), 1.5 ulp (tanh) and
 * 2.5 ulp (sigmoid) in float32, 1, 1, 3 and 2 ulp in float64 (see {{@link LaneMath}}); the scalar tails call
 * {{@link LaneMath}} itself. Sums accumulate float32 in double
 * lanes and add the lanes together left to right, so a sum's only difference from the plain loop is its order.
 *
 * <p>Determinism: every loop here gives the same bits whether it runs in the Vector API's Java fallback
 * (interpreter, C1, before C2 has compiled it) or as C2 intrinsics, and whichever side of the vector loop's
 * bound an element falls on. This class uses no operation whose result the Vector API leaves to the
 * implementation: no {{@code lanewise(EXP/LOG/TANH/…)}} (the intrinsic calls the JDK's vector math library,
 * the fallback {{@link Math}}, and they differ by ulps) and no {{@code reduceLanes(ADD)}} on floating point
 * (association order unspecified). MAX and MIN reductions are exact in any order and stay.
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

    /**
     * The lanes of {{@code v}} added left to right, lane 0 first: a fixed order, where
     * {{@code reduceLanes(ADD)}} leaves it unspecified (and its intrinsic and its Java fallback differ).
     */
    private static double sumLanes(DoubleVector v) {{
        double s = v.lane(0);
        for (int j = 1; j < D.length(); j++) {{
            s += v.lane(j);
        }}
        return s;
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
        double s = sumLanes(s0.add(s1));
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
        double s = sumLanes(s0.add(s1));
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

# The fused attention's float32 row passes (NativeAttention, on heap copies of a row), here so that the
# Vector API stays behind one door.
ATTENTION = r"""
    // ------------------------------------------------------------------ the fused attention's rows (heap arrays)

    /**
     * {@code x[0, limit) := softmax(scale·x + a)} ({@code a} null for none), in float: exp is {@link #expF}
     * (its scalar tail {@link LaneMath#exp}), the sum adds one vector of partial sums left to right. Returns
     * false, leaving {@code x} scaled but not normalized, when no score is above {@code −∞} (or one is NaN).
     */
    static boolean attentionSoftmaxF32(float[] x, float[] a, int limit, float scale) {
        int bound = F.loopBound(limit);
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, i).mul(scale);
            if (a != null) {
                v = v.add(FloatVector.fromArray(F, a, i));
            }
            v.intoArray(x, i);
            vmax = vmax.max(v);
        }
        float max = bound > 0 ? vmax.reduceLanes(VectorOperators.MAX) : Float.NEGATIVE_INFINITY;
        for (; i < limit; i++) {
            float v = x[i] * scale + (a == null ? 0f : a[i]);
            x[i] = v;
            max = Math.max(max, v);
        }
        if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max)) {
            return false;
        }
        FloatVector vm = FloatVector.broadcast(F, max);
        FloatVector acc = FloatVector.zero(F);
        for (i = 0; i < bound; i += F.length()) {
            FloatVector e = expF(FloatVector.fromArray(F, x, i).sub(vm));
            e.intoArray(x, i);
            acc = acc.add(e);
        }
        float sum = 0;
        for (int j = 0; j < F.length(); j++) {
            sum += acc.lane(j);
        }
        for (; i < limit; i++) {
            float e = LaneMath.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = 1 / sum;
        for (i = 0; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, i).mul(inv).intoArray(x, i);
        }
        for (; i < limit; i++) {
            x[i] *= inv;
        }
        return true;
    }

    /** {@code Σ a_j·b_j} over {@code [0, n)} in float: one vector of partial sums, its lanes added left to right. */
    static float attentionDotF32(float[] a, float[] b, int n) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, a, i).fma(FloatVector.fromArray(F, b, i), acc);
        }
        float s = 0;
        for (int j = 0; j < F.length(); j++) {
            s += acc.lane(j);
        }
        for (; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
"""
src += "\n" + "\n".join(out) + ATTENTION + VMATH + "}\n"
import sys
# The output folder: the kernels' source folder, or the folder given as the first argument (the build's check
# GeneratedSourcesTest writes there and compares with the checked-in file).
out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             '../src/main/java/dev/nabla/provider/nativeblas/kernels')
open(os.path.join(out_dir, 'VectorRows.java'), 'w').write(src)
