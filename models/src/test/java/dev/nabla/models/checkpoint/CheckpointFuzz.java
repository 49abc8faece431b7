package dev.nabla.models.checkpoint;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.models.nn.BatchNorm;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.nn.Sequential;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Mutation fuzzing of the checkpoint reader (issue 18, "keep it fixed"). It writes a real checkpoint
 * with the ordinary code (a small network with Adam after a step, a launcher-like model config, RNG
 * states, trainer extras), then derives mutants from it — bit flips, byte edits, truncations,
 * extensions, header-length fields, JSON edits to every tensor entry's dtype, shape and offsets, and
 * to every metadata and config value (typed values, raw tokens such as {@code 1e999}, deletions,
 * insertions), raw edits of the header text, and stacks of these — and feeds each to
 * {@link Checkpoint#load}, {@link Checkpoint#inspect}, and, when it loads, to the model and optimizer
 * it came from ({@code loadState}) and {@link Checkpoint#requireFinite}.
 *
 * <p>Outcomes: a valid load, or a refusal with the reader's own {@link NablaException} (the optimizer's
 * {@code loadState} documents {@link IllegalArgumentException}). Anything else is <em>unexpected</em>;
 * an {@link OutOfMemoryError} and a case that exceeds the per-case timeout are counted apart, as is a
 * reader message longer than {@value #MAX_MESSAGE} characters beyond the file name. Mutant {@code i}
 * depends only on the seed and {@code i}, so {@code --case i} replays one; failing mutants are kept in
 * the work folder. Run with a small heap ({@code -Xmx64m}).
 *
 * <pre>
 *   CheckpointFuzz [--seed S] [--cases N] [--first I] [--timeout-ms T] [--work DIR] [--case I]
 * </pre>
 * The last line printed is the summary, {@code fuzz: seed=… mutants=… valid=… refused=… unexpected=…
 * oom=… hangs=… long_messages=…}; the exit status is 0 only if the last four are 0.
 */
public final class CheckpointFuzz {
    /** The longest reader message accepted, beyond the file's name. */
    static final int MAX_MESSAGE = 600;

    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
    private final byte[] base;
    private final int headerLength;
    private final Map<String, Object> header;
    private final String metadataJson;
    private final Path work;
    private final Path file;

    private long valid;
    private long refused;
    private long unexpected;
    private long oom;
    private long hangs;
    private long longMessages;
    private long inspectRefused;
    private long modelRefused;
    private long optimizerRefused;
    private long nonFinite;
    private int maxMessage;
    private final Map<String, long[]> byKind = new TreeMap<>();

    @SuppressWarnings("unchecked")
    private CheckpointFuzz(Path work) throws Exception {
        this.work = Files.createDirectories(work);
        Path basePath = work.resolve("base.safetensors");
        try (Sequential net = network(); Adam adam = new Adam(net.namedParameters(), 0.01)) {
            try (Scope s = Scope.open()) {
                net.forward(f.randn(new Generator(2), 8, 3)).square().sum().backward();
                adam.step();
            }
            Map<String, Object> config = new LinkedHashMap<>();   // as the launcher's RunSpec writes it
            config.put("model", "realnvp");
            config.put("dataset", "moons");
            config.put("dim", 2L);
            config.put("trainer", "mle");
            config.put("seed", 1L);
            config.put("config", new LinkedHashMap<>(Map.of("blocks", 4L, "hidden", 64L, "dtype", "float32")));
            config.put("batch", 256L);
            config.put("lr", 1e-3);
            Map<String, long[]> rng = new LinkedHashMap<>();
            rng.put("shuffle", new long[] {1, -2, 3, Long.MIN_VALUE});
            rng.put("sample", new long[] {5, 6, 7, 8});
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("val_loss", 1.25);
            extra.put("best_val_loss", 1.125);
            extra.put("listeners", Map.of("early_stopping", Map.of("best", 1.125, "bad_epochs", 2.0)));
            Checkpoint.of(net.state(), adam, 40, 3, 4, config, rng, extra).save(basePath);
        }
        base = Files.readAllBytes(basePath);
        headerLength = (int) ByteBuffer.wrap(base, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        header = (Map<String, Object>) Json.parse(new String(base, 8, headerLength, StandardCharsets.UTF_8));
        metadataJson = (String) ((Map<String, Object>) header.get(SafeTensors.METADATA)).get("nabla");
        file = work.resolve("mutant.safetensors");
    }

    private Sequential network() {
        return new Sequential(new Linear(f, new Generator(1), 3, 8), new BatchNorm(f, 8), new Linear(f, new Generator(3), 8, 2));
    }

    public static void main(String[] args) throws Exception {
        long seed = 1;
        long cases = 2000;
        long first = 0;
        long timeoutMs = 20_000;
        Path work = Path.of("target", "checkpoint-fuzz");
        long only = -1;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--cases" -> cases = Long.parseLong(args[i + 1]);
                case "--first" -> first = Long.parseLong(args[i + 1]);
                case "--timeout-ms" -> timeoutMs = Long.parseLong(args[i + 1]);
                case "--work" -> work = Path.of(args[i + 1]);
                case "--case" -> only = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        CheckpointFuzz fuzz = new CheckpointFuzz(work);
        if (only >= 0) {
            first = only;
            cases = 1;
        }
        System.exit(fuzz.run(seed, first, cases, timeoutMs) ? 0 : 1);
    }

    private boolean run(long seed, long first, long cases, long timeoutMs) throws Exception {
        long t0 = System.nanoTime();
        ExecutorService worker = newWorker();
        long mutants = 0;
        for (long i = first; i < first + cases; i++) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            List<String> kinds = new ArrayList<>();
            byte[] mutant = mutate(r, kinds);
            Files.write(file, mutant);
            mutants++;
            String kind = kinds.getFirst() + (kinds.size() > 1 ? "+" : "");
            long[] k = byKind.computeIfAbsent(kind, x -> new long[2]);
            Future<String> outcome = worker.submit(() -> attempt(file));
            String o;
            try {
                o = outcome.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                o = "hang";
                worker.shutdownNow();   // the stuck thread is a daemon; carry on with a fresh one
                worker = newWorker();
            } catch (java.util.concurrent.ExecutionException e) {
                o = e.getCause() instanceof OutOfMemoryError ? "oom" : "unexpected " + e.getCause();
            }
            switch (o.split(" ", 2)[0]) {
                case "valid" -> {
                    valid++;
                    k[0]++;
                }
                case "refused" -> {
                    refused++;
                    k[1]++;
                }
                default -> {
                    switch (o.split(" ", 2)[0]) {
                        case "oom" -> oom++;
                        case "hang" -> hangs++;
                        case "long" -> longMessages++;
                        default -> unexpected++;
                    }
                    Path kept = work.resolve("failure-" + seed + "-" + i + ".safetensors");
                    Files.write(kept, mutant);
                    System.out.println("case " + i + " (" + String.join(" then ", kinds) + "): " + Json.abbreviate(o, 2000)
                            + "; kept as " + kept);
                }
            }
            if (mutants % 10_000 == 0) {
                System.out.println("... " + mutants + " mutants, " + valid + " valid, " + refused + " refused");
                System.out.flush();
            }
        }
        worker.shutdownNow();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println("by mutation (valid/refused):");
        byKind.forEach((kind, c) -> System.out.printf("  %-24s %8d %8d%n", kind, c[0], c[1]));
        System.out.printf("after a valid load: model refused %d, optimizer refused %d, non-finite refused %d;"
                + " inspect refused %d in all; longest reader message %d chars%n", modelRefused, optimizerRefused,
                nonFinite, inspectRefused, maxMessage);
        System.out.printf("fuzz: seed=%d first=%d mutants=%d valid=%d refused=%d unexpected=%d oom=%d hangs=%d"
                + " long_messages=%d seconds=%.1f%n", seed, first, mutants, valid, refused, unexpected, oom, hangs,
                longMessages, seconds);
        return unexpected == 0 && oom == 0 && hangs == 0 && longMessages == 0;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads one mutant every way; returns "valid", "refused", "long …" or "unexpected …". */
    private String attempt(Path file) {
        String limit = checkMessage(() -> Checkpoint.inspect(file), true);
        if (limit != null) {
            return limit;
        }
        Checkpoint c;
        try {
            c = Checkpoint.load(file, f);
        } catch (NablaException e) {
            String m = e.getMessage();
            maxMessage = Math.max(maxMessage, m.length() - file.toString().length());
            if (m.length() - file.toString().length() > MAX_MESSAGE) {
                return "long message of " + m.length() + " chars: " + m;
            }
            return "refused";
        } catch (OutOfMemoryError e) {
            return "oom";
        } catch (Throwable e) {
            return "unexpected " + trace(e);
        }
        try (c; Sequential net = network(); Adam adam = new Adam(net.namedParameters(), 0.5)) {
            try {
                c.requireFinite(file);
            } catch (NablaException e) {
                nonFinite++;
            }
            try {
                net.loadState(c.model());
            } catch (NablaException e) {
                modelRefused++;
            }
            try {
                adam.loadState(c.optimizerState(), c.optimizerSteps());
            } catch (IllegalArgumentException e) {   // Optimizer.loadState's documented refusal
                optimizerRefused++;
            }
            return "valid";
        } catch (OutOfMemoryError e) {
            return "oom";
        } catch (Throwable e) {
            return "unexpected after load: " + trace(e);
        }
    }

    /** Runs {@code r}; null if it passed or refused with a short NablaException, else what went wrong. */
    private String checkMessage(Runnable r, boolean inspect) {
        try {
            r.run();
            return null;
        } catch (NablaException e) {
            if (inspect) {
                inspectRefused++;
            }
            int len = e.getMessage().length() - file.toString().length();
            maxMessage = Math.max(maxMessage, len);
            return len > MAX_MESSAGE ? "long message of " + len + " chars: " + e.getMessage() : null;
        } catch (OutOfMemoryError e) {
            return "oom";
        } catch (Throwable e) {
            return "unexpected in inspect: " + trace(e);
        }
    }

    private static String trace(Throwable e) {
        StringBuilder b = new StringBuilder(e.toString());
        for (StackTraceElement s : Arrays.copyOf(e.getStackTrace(), Math.min(8, e.getStackTrace().length))) {
            b.append("\n    at ").append(s);
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ mutations

    private static final String[] KINDS = {"bitflip", "bytes", "truncate", "extend", "header-length", "tensor-entry",
        "metadata-value", "metadata-raw", "header-raw", "tensor-entries"};

    private byte[] mutate(SplittableRandom r, List<String> kinds) {
        byte[] b = base.clone();
        int rounds = r.nextInt(5) == 0 ? 2 + r.nextInt(2) : 1;
        for (int i = 0; i < rounds; i++) {
            String kind = KINDS[r.nextInt(KINDS.length)];
            kinds.add(kind);
            b = switch (kind) {
                case "bitflip" -> bitflip(b, r);
                case "bytes" -> setBytes(b, r);
                case "truncate" -> Arrays.copyOf(b, truncation(b.length, r));
                case "extend" -> extend(b, r);
                case "header-length" -> headerLength(b, r);
                case "tensor-entry" -> editHeader(b, r, this::tensorEntry);
                case "tensor-entries" -> editHeader(b, r, this::tensorEntries);
                case "metadata-value" -> editHeader(b, r, this::metadataValue);
                case "metadata-raw" -> editHeader(b, r, this::metadataRaw);
                case "header-raw" -> headerRaw(b, r);
                default -> throw new IllegalStateException(kind);
            };
        }
        return b;
    }

    private int headerEnd(byte[] b) {
        return Math.min(b.length, 8 + headerLength);
    }

    private byte[] bitflip(byte[] b, SplittableRandom r) {
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n && b.length > 0; i++) {
            int pos = r.nextInt(4) > 0 ? r.nextInt(headerEnd(b)) : r.nextInt(b.length);
            b[pos] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    private static final byte[] INTERESTING_BYTES = {0, (byte) 0xFF, '"', '{', '}', '[', ']', ',', ':', '-', '0', '9',
        'e', '.', ' ', '\\', (byte) 0x80, (byte) 0xC3, (byte) 0xED, (byte) 0xF4, 'n', 't', '\n'};

    private byte[] setBytes(byte[] b, SplittableRandom r) {
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n && b.length > 0; i++) {
            int pos = r.nextInt(4) > 0 ? r.nextInt(headerEnd(b)) : r.nextInt(b.length);
            b[pos] = r.nextBoolean() ? INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)] : (byte) r.nextInt(256);
        }
        return b;
    }

    private int truncation(int length, SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(Math.min(length, 16) + 1);
            case 1 -> Math.max(0, Math.min(length, 8 + headerLength + r.nextInt(17) - 8));
            case 2 -> Math.max(0, length - 1 - r.nextInt(16));
            default -> r.nextInt(length + 1);
        };
    }

    private static byte[] extend(byte[] b, SplittableRandom r) {
        int n = 1 + r.nextInt(64);
        byte[] out = Arrays.copyOf(b, b.length + n);
        for (int i = b.length; i < out.length; i++) {
            out[i] = r.nextBoolean() ? (byte) ' ' : (byte) r.nextInt(256);
        }
        return out;
    }

    private byte[] headerLength(byte[] b, SplittableRandom r) {
        if (b.length < 8) {
            return b;
        }
        long n = headerLength;
        long len = b.length;
        long[] values = {0, 1, 2, 7, 8, n - 1, n + 1, n - 8, n + 8, len - 8, len - 7, len, Integer.MAX_VALUE,
            1L << 31, 1L << 32, Long.MAX_VALUE, -1, Long.MIN_VALUE, SafeTensors.MAX_HEADER_BYTES,
            SafeTensors.MAX_HEADER_BYTES + 1, r.nextLong(), r.nextLong(Math.max(1, len))};
        ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, values[r.nextInt(values.length)]);
        return b;
    }

    /** Re-parses the mutant's header (if it still parses), lets {@code edit} change it, and writes it back. */
    @SuppressWarnings("unchecked")
    private byte[] editHeader(byte[] b, SplittableRandom r, HeaderEdit edit) {
        Map<String, Object> h;
        int n;
        try {
            n = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            h = (Map<String, Object>) Json.parse(new String(b, 8, n, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {   // an earlier mutation broke it: edit the original's header instead
            n = headerLength;
            h = deepCopy(header);
        }
        String text = edit.apply(h, r);
        byte[] json = text.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        int dataStart = Math.min(b.length, 8 + n);
        byte[] out = new byte[8 + padded + (b.length - dataStart)];
        long length = r.nextInt(5) == 0 ? n : padded;   // sometimes the old length field stays
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        System.arraycopy(json, 0, out, 8, json.length);
        Arrays.fill(out, 8 + json.length, 8 + padded, (byte) ' ');
        System.arraycopy(b, dataStart, out, 8 + padded, b.length - dataStart);
        return out;
    }

    @FunctionalInterface
    private interface HeaderEdit {
        String apply(Map<String, Object> header, SplittableRandom r);
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, x) -> c.put((String) k, deepCopy(x)));
            return (T) c;
        }
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(x -> c.add(deepCopy(x)));
            return (T) c;
        }
        return v;
    }

    private static final String RAW = "\u0001raw:";

    private static final String[] RAW_TOKENS = {"1e999", "-1e999", "NaN", "Infinity", "01", "1.", "-", "1e",
        "9223372036854775808", "-9223372036854775809", "\"\\ud800\"", "\"\\u00zz\"", "[".repeat(70) + "]".repeat(70),
        "tru", "nul", "\"" + "x".repeat(100_000) + "\"", "[" + "0,".repeat(5000) + "0]", "{\"a\":1,\"a\":2}", "\"\t\"",
        "123456789012345678901234567890123456789012345", "-0", "0e0", "1E+2", "[1,]", "{,}", ""};
    private static final java.util.regex.Pattern RAW_MARK = java.util.regex.Pattern.compile("\"\\\\u0001raw:(\\d+)\"");

    /** Typed values and raw tokens (written as {@link #RAW} strings, spliced in by {@link #write}). */
    private static Object interesting(SplittableRandom r) {
        Object[] typed = {0L, -1L, 1L, 2L, 3L, 4L, 8L, 2147483647L, 2147483648L, 4294967296L, 1L << 40, (1L << 40) + 1,
            1L << 53, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, 0.5, -0.0, 1.0, 1e308, -1e308, 4.9e-324, "", "x", "F32",
            "adam", "1", null, true, false, List.of(), Map.of(), List.of(0L, 0L, 0L, 0L), List.of(1L, 2L, 3L),
            List.of(1L, 2L, 3L, 4L, 5L), List.of(1L, 2L, 3L, 4L), Map.of("a", 1L), "\u00e9\u0000\uFFFF"};
        if (r.nextInt(3) == 0) {
            return RAW + r.nextInt(RAW_TOKENS.length);
        }
        return typed[r.nextInt(typed.length)];
    }

    /** JSON text of {@code v}, with raw tokens spliced in place of their marker strings. */
    private static String write(Object v) {
        return RAW_MARK.matcher(Json.write(v)).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                RAW_TOKENS[Integer.parseInt(m.group(1))]));
    }

    private static <T> T pick(List<T> l, SplittableRandom r) {
        return l.get(r.nextInt(l.size()));
    }

    @SuppressWarnings("unchecked")
    private String tensorEntry(Map<String, Object> h, SplittableRandom r) {
        List<String> names = h.keySet().stream().filter(k -> !k.equals(SafeTensors.METADATA)).toList();
        if (names.isEmpty()) {
            return write(h);
        }
        String name = pick(names, r);
        if (!(h.get(name) instanceof Map<?, ?> raw)) {
            h.put(name, interesting(r));
            return write(h);
        }
        Map<String, Object> e = (Map<String, Object>) raw;
        switch (r.nextInt(7)) {
            case 0 -> e.put("dtype", r.nextBoolean() ? pick(List.of("F32", "F64", "I32", "I64", "BOOL", "BF16", "F16", "U8",
                    "", "f32"), r) : interesting(r));
            case 1 -> {
                if (e.get("shape") instanceof List<?> s && !s.isEmpty() && r.nextInt(4) > 0) {
                    List<Object> shape = new ArrayList<>(s);
                    switch (r.nextInt(3)) {
                        case 0 -> shape.set(r.nextInt(shape.size()), interesting(r));
                        case 1 -> shape.add(r.nextInt(shape.size() + 1), r.nextBoolean() ? 1L : interesting(r));
                        default -> shape.remove(r.nextInt(shape.size()));
                    }
                    e.put("shape", shape);
                } else {
                    e.put("shape", r.nextBoolean() ? java.util.Collections.nCopies(65, 1L) : interesting(r));
                }
            }
            case 2 -> {
                if (e.get("data_offsets") instanceof List<?> o && o.size() == 2 && r.nextInt(4) > 0) {
                    List<Object> offs = new ArrayList<>(o);
                    int i = r.nextInt(2);
                    Object v = offs.get(i);
                    long d = v instanceof Long x ? x : 0;
                    long[] deltas = {-1, 1, -4, 4, -8, 8, -d, 1L << 31, Long.MAX_VALUE - d};
                    offs.set(i, r.nextInt(3) == 0 ? interesting(r) : d + deltas[r.nextInt(deltas.length)]);
                    if (r.nextInt(5) == 0) {
                        java.util.Collections.swap(offs, 0, 1);
                    }
                    e.put("data_offsets", offs);
                } else {
                    e.put("data_offsets", r.nextBoolean() ? List.of(0L) : interesting(r));
                }
            }
            case 3 -> e.remove(pick(List.of("dtype", "shape", "data_offsets"), r));
            case 4 -> e.put(pick(List.of("extra", "dtype2", ""), r), interesting(r));
            case 5 -> {   // rename
                Object v = h.remove(name);
                String[] to = {"", "optimizer.x", "optimizer.", SafeTensors.METADATA, "n".repeat(2000), "π.weight",
                    name + "\u0000", "0.weight", "optimizer.0.weight.exp_avg"};
                h.put(to[r.nextInt(to.length)], v);
            }
            default -> h.remove(name);
        }
        return write(h);
    }

    @SuppressWarnings("unchecked")
    private String tensorEntries(Map<String, Object> h, SplittableRandom r) {
        List<String> names = h.keySet().stream().filter(k -> !k.equals(SafeTensors.METADATA)).toList();
        if (names.size() < 2) {
            return write(h);
        }
        String a = pick(names, r);
        String b = pick(names, r);
        if (h.get(a) instanceof Map<?, ?> ea && h.get(b) instanceof Map<?, ?> eb) {
            Map<String, Object> ma = (Map<String, Object>) ea;
            Map<String, Object> mb = (Map<String, Object>) eb;
            switch (r.nextInt(3)) {
                case 0 -> {   // swap offsets
                    Object o = ma.get("data_offsets");
                    ma.put("data_offsets", mb.get("data_offsets"));
                    mb.put("data_offsets", o);
                }
                case 1 -> h.put(a + ".copy", deepCopy(ma));   // a second entry over the same bytes
                default -> {   // swap shapes and dtypes
                    Object s = ma.get("shape");
                    ma.put("shape", mb.get("shape"));
                    mb.put("shape", s);
                }
            }
        }
        return write(h);
    }

    /** Every path to a node of the metadata tree. */
    private static void paths(Object node, List<Object> path, List<List<Object>> out) {
        out.add(List.copyOf(path));
        if (node instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                path.add(k);
                paths(m.get(k), path, out);
                path.removeLast();
            }
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                path.add(i);
                paths(l.get(i), path, out);
                path.removeLast();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private String metadataValue(Map<String, Object> h, SplittableRandom r) {
        Object meta;
        try {
            Map<String, Object> md = (Map<String, Object>) h.get(SafeTensors.METADATA);
            meta = Json.parse((String) md.get("nabla"));
        } catch (RuntimeException e) {
            meta = Json.parse(metadataJson);
        }
        List<List<Object>> all = new ArrayList<>();
        paths(meta, new ArrayList<>(), all);
        List<Object> path = all.get(r.nextInt(all.size()));
        Object value = interesting(r);
        if (path.isEmpty()) {
            meta = value;
        } else {
            Object parent = meta;
            for (Object p : path.subList(0, path.size() - 1)) {
                parent = parent instanceof Map<?, ?> m ? m.get(p) : ((List<?>) parent).get((Integer) p);
            }
            Object last = path.getLast();
            if (parent instanceof Map<?, ?> pm) {
                Map<String, Object> m = (Map<String, Object>) pm;
                switch (r.nextInt(6)) {
                    case 0 -> m.remove(last);
                    case 1 -> m.put("new_" + r.nextInt(3), value);
                    default -> m.put((String) last, value);
                }
            } else {
                List<Object> l = (List<Object>) parent;
                switch (r.nextInt(5)) {
                    case 0 -> l.remove((int) (Integer) last);
                    case 1 -> l.add(value);
                    default -> l.set((Integer) last, value);
                }
            }
        }
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("nabla", write(meta));
        h.put(SafeTensors.METADATA, md);
        return write(h);
    }

    @SuppressWarnings("unchecked")
    private String metadataRaw(Map<String, Object> h, SplittableRandom r) {
        String text = h.get(SafeTensors.METADATA) instanceof Map<?, ?> m && m.get("nabla") instanceof String s ? s
                : metadataJson;
        text = rawEdit(text, r);
        Map<String, Object> md = new LinkedHashMap<>();
        if (r.nextInt(8) == 0) {
            md.put(r.nextBoolean() ? "other" : "nabla", interesting(r));   // the metadata value itself mistyped
        } else {
            md.put("nabla", text);
        }
        h.put(SafeTensors.METADATA, r.nextInt(20) == 0 ? interesting(r) : md);
        return write(h);
    }

    private byte[] headerRaw(byte[] b, SplittableRandom r) {
        int n = Math.max(0, Math.min(headerEnd(b) - 8, b.length - 8));
        if (n == 0) {
            return b;
        }
        String text = new String(b, 8, n, StandardCharsets.UTF_8);
        byte[] json = rawEdit(text, r).getBytes(StandardCharsets.UTF_8);
        int padded = r.nextBoolean() ? (json.length + 7) / 8 * 8 : json.length;
        byte[] out = new byte[8 + padded + (b.length - 8 - n)];
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
        System.arraycopy(json, 0, out, 8, json.length);
        Arrays.fill(out, 8 + json.length, 8 + padded, (byte) ' ');
        System.arraycopy(b, 8 + n, out, 8 + padded, b.length - 8 - n);
        return out;
    }

    /** A random textual edit: delete, insert, duplicate, or replace a number with an extreme one. */
    private static String rawEdit(String s, SplittableRandom r) {
        if (s.isEmpty()) {
            return "{";
        }
        int at = r.nextInt(s.length());
        int len = 1 + r.nextInt(Math.min(32, s.length() - at));
        String[] inserts = {"\"", "{", "}", "[", "]", ",", ":", "-", "0", "9", "e", ".", "\\", "\\u", "null", "1e999",
            "99999999999999999999", "\u00e9", "\uD800", "[".repeat(100), "{\"a\":", "\u0000"};
        return switch (r.nextInt(5)) {
            case 0 -> s.substring(0, at) + s.substring(at + len);
            case 1 -> s.substring(0, at) + inserts[r.nextInt(inserts.length)] + s.substring(at);
            case 2 -> s.substring(0, at + len) + s.substring(at, at + len) + s.substring(at + len);
            case 3 -> {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+").matcher(s);
                List<int[]> spans = new ArrayList<>();
                while (m.find()) {
                    spans.add(new int[] {m.start(), m.end()});
                }
                if (spans.isEmpty()) {
                    yield s;
                }
                int[] sp = pick(spans, r);
                String[] big = {"2147483648", "4611686018427387904", "9223372036854775807", "-1", "0", "1e308", "0.5",
                    "18446744073709551616"};
                yield s.substring(0, sp[0]) + big[r.nextInt(big.length)] + s.substring(sp[1]);
            }
            default -> s.substring(0, at);
        };
    }
}
