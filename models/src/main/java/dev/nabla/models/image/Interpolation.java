package dev.nabla.models.image;

/**
 * Paths between two latent codes {@code a} and {@code b}, {@code steps ≥ 2} points including both ends,
 * {@code t_s = s / (steps − 1)}:
 * <pre>
 *   linear:  z(t) = (1 − t)·a + t·b
 *   slerp:   z(t) = sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b,   cos Ω = a·b / (‖a‖ ‖b‖)
 * </pre>
 * (spherical interpolation keeps the norm typical of a Gaussian prior's samples; it falls back to the
 * linear path when {@code a} and {@code b} are (anti)parallel or one is zero).
 */
public final class Interpolation {
    private Interpolation() {
    }

    private static void check(float[] a, float[] b, int steps) {
        if (a.length != b.length || steps < 2) {
            throw new IllegalArgumentException("Interpolation: codes of lengths " + a.length + " and " + b.length
                    + " with " + steps + " steps (need equal lengths and at least 2 steps)");
        }
    }

    /** The straight path, row-major {@code [steps, d]}. */
    public static float[] linear(float[] a, float[] b, int steps) {
        check(a, b, steps);
        int d = a.length;
        float[] out = new float[steps * d];
        for (int s = 0; s < steps; s++) {
            double t = (double) s / (steps - 1);
            for (int j = 0; j < d; j++) {
                out[s * d + j] = (float) ((1 - t) * a[j] + t * b[j]);
            }
        }
        return out;
    }

    /** The spherical path, row-major {@code [steps, d]}. */
    public static float[] slerp(float[] a, float[] b, int steps) {
        check(a, b, steps);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < a.length; j++) {
            dot += (double) a[j] * b[j];
            na += (double) a[j] * a[j];
            nb += (double) b[j] * b[j];
        }
        double cos = dot / Math.sqrt(na * nb);
        if (!(Math.abs(cos) < 1 - 1e-7)) {
            return linear(a, b, steps);
        }
        double omega = Math.acos(cos);
        int d = a.length;
        float[] out = new float[steps * d];
        for (int s = 0; s < steps; s++) {
            double t = (double) s / (steps - 1);
            double wa = Math.sin((1 - t) * omega) / Math.sin(omega);
            double wb = Math.sin(t * omega) / Math.sin(omega);
            for (int j = 0; j < d; j++) {
                out[s * d + j] = (float) (wa * a[j] + wb * b[j]);
            }
        }
        return out;
    }
}
