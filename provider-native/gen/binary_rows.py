import os
# Writes the Java source of the native kernels' row loops (one method per op and dtype, so the JIT
# compiles each loop with its op inlined). Run: python3 provider-native/gen/binary_rows.py
# The output is checked in; edit this template, not the generated file, and run it again.
T = {'F': ('float', 'JAVA_FLOAT', 'F32'), 'D': ('double', 'JAVA_DOUBLE', 'F64'),
     'I': ('int', 'JAVA_INT', 'I32'), 'L': ('long', 'JAVA_LONG', 'I64'), 'B': ('byte', 'JAVA_BYTE', 'Bool')}
SIG = "MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len"
def get(t, seg, idx):
    jt, lay, _ = T[t]
    return f"{seg}.get({lay}, {idx})" if t == 'B' else f"{seg}.getAtIndex({lay}, {idx})"
def put(t, idx, val):
    jt, lay, _ = T[t]
    return f"o.set({lay}, {idx}, {val})" if t == 'B' else f"o.setAtIndex({lay}, {idx}, {val})"
out = []

# template 1: a loop for each pair of steps (both walk, a scalar, b scalar, both scalars)
def fast(name, t, expr):
    jt, lay, suf = T[t]
    e = expr
    out.append(f"""    static void {name}{suf}({SIG}) {{
        if (as == 1 && bs == 1) {{
            for (long i = 0; i < len; i++) {{
                {jt} x = {get(t,'a','ai + i')};
                {jt} y = {get(t,'b','bi + i')};
                {put(t,'oi + i',e)};
            }}
        }} else if (bs == 1) {{
            {jt} x = {get(t,'a','ai')};
            for (long i = 0; i < len; i++) {{
                {jt} y = {get(t,'b','bi + i')};
                {put(t,'oi + i',e)};
            }}
        }} else if (as == 1) {{
            {jt} y = {get(t,'b','bi')};
            for (long i = 0; i < len; i++) {{
                {jt} x = {get(t,'a','ai + i')};
                {put(t,'oi + i',e)};
            }}
        }} else {{
            {jt} x = {get(t,'a','ai')};
            {jt} y = {get(t,'b','bi')};
            {jt} v = {e};
            for (long i = 0; i < len; i++) {{
                {put(t,'oi + i','v')};
            }}
        }}
    }}
""")
# template 2: one loop with the steps applied
def step(name, t, ot, expr):
    jt, lay, suf = T[t]
    out.append(f"""    static void {name}{suf}({SIG}) {{
        for (long i = 0; i < len; i++) {{
            {jt} x = {get(t,'a','ai + i * as')};
            {jt} y = {get(t,'b','bi + i * bs')};
            {put(ot,'oi + i',expr)};
        }}
    }}
""")
ar = {'add': 'x + y', 'sub': 'x - y', 'mul': 'x * y', 'max': 'Math.max(x, y)', 'min': 'Math.min(x, y)'}
for t in 'FDIL':
    for n, e in ar.items():
        fast(n, t, e)
for t in 'FD':
    fast('div', t, 'x / y')
step('pow', 'F', 'F', '(float) Math.pow(x, y)')
step('pow', 'D', 'D', 'Math.pow(x, y)')
step('pow', 'I', 'I', '(int) KernelMath.pow(x, y)')
step('pow', 'L', 'L', 'KernelMath.pow(x, y)')
step('div', 'I', 'I', '(int) KernelMath.floorDiv(x, y)')
step('div', 'L', 'L', 'KernelMath.floorDiv(x, y)')
cmp = {'eq': '==', 'ne': '!=', 'lt': '<', 'le': '<=', 'gt': '>', 'ge': '>='}
for t in 'FDILB':
    for n, o in cmp.items():
        step(n, t, 'B', f'x {o} y ? (byte) 1 : (byte) 0')
step('and', 'B', 'B', '(byte) (x & y)')
step('or', 'B', 'B', '(byte) (x | y)')

# dispatch
disp = []
def case(op, pairs):
    disp.append(f"            case {op} -> switch (dtype) {{")
    for t in 'FDILB':
        if t in pairs:
            disp.append(f"                case {['FLOAT32','FLOAT64','INT32','INT64','BOOL']['FDILB'.index(t)]} -> BinaryRows::{pairs[t]}{T[t][2]};")
    disp.append("                default -> null;")
    disp.append("            };")
for n in ['add','sub','mul','max','min']:
    case(n.upper(), {t: n for t in 'FDIL'})
case('DIV', {t: 'div' for t in 'FDIL'})
case('POW', {t: 'pow' for t in 'FDIL'})
for n in cmp:
    case(n.upper(), {t: n for t in 'FDILB'})
case('AND', {'B': 'and'})
case('OR', {'B': 'or'})

src = f"""package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.KernelMath;
import dev.nabla.api.types.DType;
import java.lang.foreign.MemorySegment;

/**
 * The row kernels of {{@link dev.nabla.api.backend.Kernels#binary}}: one method per op and dtype, each
 * a plain counted loop with the op inlined, so the JIT compiles (and where it can, vectorizes) each
 * separately; the op and dtype are chosen once per call by {{@link #of}}, never inside a loop.
 *
 * <p>A row is {{@code o[oi + i] = f(a[ai + i·as], b[bi + i·bs])}} for {{@code i < len}}, with steps
 * {{@code as, bs}} of 1 or 0 (see {{@link Broadcast}}). The arithmetic ops that dominate training
 * (add, sub, mul, div, max, min) have a loop for each pair of steps (both walking, either one a
 * broadcast scalar, both scalars); the rest use the steps directly. Float32 is computed in float,
 * which for {{@code + − × ÷}} rounds exactly as computing in double and rounding once would; float32
 * {{@code pow}} goes through double. Int32 arithmetic wraps like a Java {{@code int}}; integer division
 * floors and throws on a zero divisor ({{@link KernelMath}}). Comparisons write bool (one byte, 0 or 1).
 *
 * <p>Generated by {{@code provider-native/gen/binary_rows.py}}: every method follows one of its two
 * templates; change the template and run it again rather than editing this file.
 */
final class BinaryRows {{
    private BinaryRows() {{
    }}

    /** One row: {{@code o[oi + i] = f(a[ai + i·as], b[bi + i·bs])}} for {{@code i < len}}. */
    @FunctionalInterface
    interface Row {{
        /** Runs the row. */
        void run({SIG});
    }}

    /** The row kernel of {{@code op}} on operands of {{@code dtype}}, or null if the pair is undefined. */
    static Row of(BinaryOp op, DType dtype) {{
        return switch (op) {{
{chr(10).join(disp)}
        }};
    }}

{chr(10).join(out)}}}
"""
import sys
# The output folder: the kernels' source folder, or the folder given as the first argument (the build's check
# GeneratedSourcesTest writes there and compares with the checked-in file).
out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             '../src/main/java/dev/nabla/provider/nativeblas/kernels')
open(os.path.join(out_dir, 'BinaryRows.java'), 'w').write(src)
