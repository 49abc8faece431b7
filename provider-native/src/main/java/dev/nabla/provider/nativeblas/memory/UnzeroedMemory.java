package dev.nabla.provider.nativeblas.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Native memory that is not zeroed when allocated: C's {@code aligned_alloc}, freed by {@code free} when
 * the arena a block is attached to closes.
 *
 * <p>{@link Arena#allocate} zero-fills every new segment with a Java loop of 8-byte stores; in a fresh JVM
 * that loop runs interpreted until the JIT compiles it (about 70 ms of a one-step training went there),
 * and the pool zeroes a block lazily anyway ({@link NativeStorage}: on first use, unless a kernel
 * overwrites it whole), so the pool's blocks come from here. A block keeps the arena's lifetime: closing
 * the arena frees it, and a stray access afterwards throws instead of reading freed memory.
 */
@SuppressWarnings("restricted") // two libc downcalls and reinterpret: the module has native access
final class UnzeroedMemory {
    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        ALIGNED_ALLOC = linker.downcallHandle(libc.find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(libc.find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    private UnzeroedMemory() {
    }

    /**
     * {@code bytes > 0} bytes aligned to {@code alignment} (a power of two), with unspecified contents,
     * valid until {@code arena} closes, which frees them.
     *
     * @throws OutOfMemoryError if the C library has no such block to give
     */
    static MemorySegment allocate(long bytes, long alignment, Arena arena) {
        long rounded = (bytes + alignment - 1) & -alignment;   // aligned_alloc wants a multiple of the alignment
        MemorySegment raw;
        try {
            raw = (MemorySegment) ALIGNED_ALLOC.invokeExact(alignment, rounded);
        } catch (Throwable t) {
            throw new IllegalStateException("aligned_alloc failed", t);
        }
        if (raw.address() == 0) {
            throw new OutOfMemoryError("native backend: the C library could not allocate " + bytes + " bytes");
        }
        try {
            return raw.reinterpret(bytes, arena, UnzeroedMemory::free);
        } catch (RuntimeException e) {   // the arena is closed (or owned by another thread)
            free(raw);
            throw e;
        }
    }

    private static void free(MemorySegment segment) {
        try {
            FREE.invokeExact(segment);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
