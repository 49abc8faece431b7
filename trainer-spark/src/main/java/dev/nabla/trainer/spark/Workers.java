package dev.nabla.trainer.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicas of this JVM, by recipe: a task borrows one (building it on first use) and gives it back,
 * so an executor rebuilds the model once per task slot, not once per step. Thread-safe.
 */
final class Workers {
    private static final Map<Recipe, Deque<Replica>> IDLE = new ConcurrentHashMap<>();

    private Workers() {
    }

    /** An idle replica of {@code recipe}, or a new one. */
    static Replica borrow(Recipe recipe) {
        Deque<Replica> idle = IDLE.computeIfAbsent(recipe, r -> new ArrayDeque<>());
        synchronized (idle) {
            Replica r = idle.pollFirst();
            if (r != null) {
                return r;
            }
        }
        return Replica.build(recipe, null);
    }

    /** Returns {@code replica} to the pool of {@code recipe}. */
    static void giveBack(Recipe recipe, Replica replica) {
        Deque<Replica> idle = IDLE.computeIfAbsent(recipe, r -> new ArrayDeque<>());
        synchronized (idle) {
            idle.addFirst(replica);
        }
    }

    /** Closes the idle replicas of {@code recipe} (the driver's JVM in local mode, after a run). */
    static void release(Recipe recipe) {
        Deque<Replica> idle = IDLE.remove(recipe);
        if (idle != null) {
            synchronized (idle) {
                idle.forEach(Replica::close);
                idle.clear();
            }
        }
    }
}
