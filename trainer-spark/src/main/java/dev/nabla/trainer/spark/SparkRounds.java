package dev.nabla.trainer.spark;

import dev.nabla.api.types.NablaException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The only class that touches Spark: the context's life, and one step over the partitions — broadcast
 * the driver's vector, let every partition compute its result ({@link Round#work}), and sum the results
 * in a tree of the given depth:
 * <pre>
 *   depth 1:  s = Σ_p r_p on the driver (P vectors reach it)
 *   depth d:  fan-in f = max(2, ⌈P^{1/d}⌉); while more than f + ⌈n/f⌉ results remain, groups of f
 *             consecutive ones are summed on executors (a shuffle); the driver adds the rest
 * </pre>
 * the tree of {@code RDD.treeAggregate}, with one difference: every sum adds its inputs in partition
 * order, so the result does not depend on which task finished first or was retried — a step's outcome
 * is a pure function of the parameters, the data, the seed and the step.
 *
 * <p>The master is {@code spark.master} when set ({@code spark-submit --master} sets it), else the
 * trainer's {@code master} setting, else {@code local[N,4]} (N threads, up to 4 attempts per task).
 */
final class SparkRounds implements AutoCloseable {
    /** A context owned by the caller (tests), used instead of creating one. */
    private static volatile SparkContext given;

    private final int partitions;
    private final int depth;
    private final String masterSetting;
    private SparkContext sc;
    private JavaSparkContext jsc;
    private boolean owned;
    private String master;

    SparkRounds(int partitions, int depth, String masterSetting) {
        this.partitions = partitions;
        this.depth = depth;
        this.masterSetting = masterSetting;
    }

    /** Makes every run use {@code context} (and never stop it); null returns to creating one per run. */
    static void useContext(SparkContext context) {
        given = context;
    }

    /** The master in use (after {@link #start}). */
    String master() {
        return master;
    }

    /**
     * Starts (or joins) the Spark context.
     *
     * @throws IllegalArgumentException naming the master when it cannot be started or reached
     */
    void start(String appName) {
        if (given != null && !given.isStopped()) {
            sc = given;
            owned = false;
        } else {
            SparkConf conf = new SparkConf();
            if (!conf.contains("spark.master")) {
                conf.setMaster(masterSetting != null ? masterSetting
                        : "local[" + Math.max(1, Math.min(partitions, Runtime.getRuntime().availableProcessors())) + ",4]");
            }
            if (!conf.contains("spark.app.name")) {
                conf.setAppName(appName);
            }
            if (conf.get("spark.master").startsWith("local")) {   // one machine: no DNS, no public interface
                conf.setIfMissing("spark.driver.host", "127.0.0.1");
                conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            }
            conf.setIfMissing("spark.ui.enabled", "false");
            requireReachable(conf.get("spark.master"));
            try {
                sc = new SparkContext(conf);
            } catch (Exception | ExceptionInInitializerError e) {   // SparkException ("Could not parse Master URL")
                throw new IllegalArgumentException("spark: cannot start on master " + conf.get("spark.master") + ": "
                        + oneLine(e));
            }
            owned = true;
        }
        jsc = JavaSparkContext.fromSparkContext(sc);
        master = sc.master();
    }

    /**
     * A standalone master ({@code spark://host:port[,host:port…]}) must accept a connection within 5 s:
     * otherwise Spark would retry for a minute and then fail the first job with a message that does not
     * name the master.
     *
     * @throws IllegalArgumentException naming the master when none of its addresses answers
     */
    static void requireReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        String why = "";
        for (String address : master.substring("spark://".length()).split(",")) {
            int colon = address.lastIndexOf(':');
            try (java.net.Socket socket = new java.net.Socket()) {
                int port = colon < 0 ? 7077 : Integer.parseInt(address.substring(colon + 1).replaceAll("/.*", ""));
                socket.connect(new java.net.InetSocketAddress(colon < 0 ? address : address.substring(0, colon), port), 5000);
                return;
            } catch (java.io.IOException | NumberFormatException e) {
                why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        throw new IllegalArgumentException("spark: cannot reach master " + master + " (" + why + "); nothing was trained");
    }

    /**
     * One step: the partitions' results for {@code round} from {@code vector}, summed in partition order.
     *
     * @throws NablaException naming the step and the executors' error when the job fails
     */
    float[] run(Round round, float[] vector) {
        Broadcast<float[]> b = jsc.broadcast(vector);
        try {
            JavaRDD<Integer> slots = jsc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions);
            JavaRDD<Tuple2<Integer, float[]>> results = slots.mapPartitionsWithIndex(new Work(round, b), false);
            return treeSum(results);
        } catch (Exception e) {   // SparkException is checked in Java's eyes, thrown by Scala all the same
            throw new NablaException("spark: step " + round.step() + " failed on master " + master + ": " + remote(e)
                    + "; the parameters are those after step " + (round.step() - 1) + " and no checkpoint was written for it");
        } finally {
            b.destroy();
        }
    }

    private float[] treeSum(JavaRDD<Tuple2<Integer, float[]>> leaves) {
        JavaPairRDD<Integer, float[]> level = JavaPairRDD.fromJavaRDD(leaves);
        int n = partitions;
        if (depth > 1) {
            int fan = Math.max(2, (int) Math.ceil(Math.pow(n, 1.0 / depth)));
            while (n > fan + (n + fan - 1) / fan) {   // treeAggregate's rule: a level only where it saves work
                int groups = (n + fan - 1) / fan;
                level = level.mapToPair(new ToGroup(fan)).groupByKey(groups).mapToPair(new SumGroup());
                n = groups;
            }
        }
        List<Tuple2<Integer, float[]>> top = new ArrayList<>(level.collect());
        top.sort(Comparator.comparing(Tuple2::_1));
        return sumInOrder(top);
    }

    private static float[] sumInOrder(List<Tuple2<Integer, float[]>> ordered) {
        float[] acc = ordered.getFirst()._2().clone();
        for (int i = 1; i < ordered.size(); i++) {
            float[] v = ordered.get(i)._2();
            for (int j = 0; j < acc.length; j++) {
                acc[j] += v[j];
            }
        }
        return acc;
    }

    /** Stops the context if this run started it. */
    @Override
    public void close() {
        if (owned && sc != null) {
            sc.stop();
        }
        sc = null;
        jsc = null;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The executors' error in a failed job's message ("… most recent failure: Lost task …: java.lang.X: msg"). */
    static String remote(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int at = m.indexOf("most recent failure:");
        if (at >= 0) {
            String rest = m.substring(at);
            int nl = rest.indexOf('\n');
            String line = nl < 0 ? rest : rest.substring(0, nl);
            int ex = line.indexOf("): ");
            return ex >= 0 ? line.substring(ex + 3) : line;
        }
        return oneLine(e);
    }

    /** A partition's work: borrow a replica, compute, give it back. Runs on executors. */
    private static final class Work implements Function2<Integer, Iterator<Integer>, Iterator<Tuple2<Integer, float[]>>> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Round round;
        private final Broadcast<float[]> vector;

        Work(Round round, Broadcast<float[]> vector) {
            this.round = round;
            this.vector = vector;
        }

        @Override
        public Iterator<Tuple2<Integer, float[]>> call(Integer p, Iterator<Integer> ignored) {
            TaskContext tc = TaskContext.get();
            if (p == round.failFirstAttempt() && tc != null && tc.attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of partition " + p + " (first attempt, step "
                        + round.step() + ")");
            }
            SparkTrainerProvider.probe();   // an executor's class path: read Spark from this module too
            Replica r = Workers.borrow(round.recipe());
            try {
                return List.of(new Tuple2<>(p, round.work(r, vector.value(), p))).iterator();
            } finally {
                Workers.giveBack(round.recipe(), r);
            }
        }
    }

    /** {@code (i, v) → (i / fan, (i, v))}: the group of consecutive partitions a result is added in. */
    private static final class ToGroup implements PairFunction<Tuple2<Integer, float[]>, Integer, Tuple2<Integer, float[]>> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final int fan;

        ToGroup(int fan) {
            this.fan = fan;
        }

        @Override
        public Tuple2<Integer, Tuple2<Integer, float[]>> call(Tuple2<Integer, float[]> t) {
            return new Tuple2<>(t._1() / fan, t);
        }
    }

    /** A group's sum, its members added in index order. */
    private static final class SumGroup implements PairFunction<Tuple2<Integer, Iterable<Tuple2<Integer, float[]>>>, Integer, float[]> {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<Integer, float[]> call(Tuple2<Integer, Iterable<Tuple2<Integer, float[]>>> group) {
            List<Tuple2<Integer, float[]>> members = new ArrayList<>();
            group._2().forEach(members::add);
            members.sort(Comparator.comparing(Tuple2::_1));
            return new Tuple2<>(group._1(), sumInOrder(members));
        }
    }
}
